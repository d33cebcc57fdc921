"""Read one YAML configuration file into a dict, refusing what YAML would silently accept.

A key set twice in one mapping is an error naming both lines; `<<` merges are expanded by our
own rule (the mapping's own keys win, of a list of merged mappings the earlier wins, an empty
merge is fine, a mapping that merges itself is an error with its line); an alias inside its own
anchor is refused. Reading happens when `read()` is called, never at import.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from archivist.domain.errors import ConfigError

# ${NAME:default}: settings replaces it with the variable; here it only explains a YAML error.
ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}")


def read(path: Path) -> dict[str, Any]:
    """The mapping of settings in the YAML file at `path` (empty for an empty file)."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start} cannot be read)") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = yaml.load(text, Loader=_loader())
    except _Twice as exc:
        raise ConfigError(f"{path}: line {exc.line}: {exc.key!r} is set twice in one mapping "
                          f"(first on line {exc.first}); the second would silently replace "
                          f"the first: keep one") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}:{where}: not valid YAML: {problem}"
                          f"{_unquoted_reference(text, mark)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top, got {type(data).__name__}")
    _refuse_cycles(data, path)
    return data


class _Twice(Exception):
    """A key written twice in one mapping (YAML itself keeps the last without a word)."""

    def __init__(self, key: str, first: int, line: int) -> None:
        super().__init__(key)
        self.key, self.first, self.line = key, first, line


@functools.cache
def _loader() -> Any:
    """PyYAML's safe loader (the C one when PyYAML has it: it keeps create_app() fast) that
    refuses a key set twice: a second `library:` written further down a hand-edited file
    would drop the first one's cities, and the station would scan nothing."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        def __init__(self, stream: Any) -> None:
            super().__init__(stream)
            self._checked: set[int] = set()   # mapping nodes checked, by id
            self._expanding: set[int] = set()   # mapping nodes whose merges are being expanded

        def flatten_mapping(self, node: Any) -> None:
            # Each mapping is checked as written, before `<<` merges keys into it: a merge
            # expands the merged mapping in place, possibly before that mapping is built.
            if id(node) not in self._checked:
                self._checked.add(id(node))
                seen: dict[Any, int] = {}
                for key_node, _ in node.value:
                    if not isinstance(key_node, yaml.ScalarNode) or \
                            key_node.tag.endswith((":merge", ":value")):
                        continue
                    key = self.construct_object(key_node)   # `1:` and `'1':` are two keys
                    line = key_node.start_mark.line + 1
                    if key in seen:
                        raise _Twice(key_node.value, seen[key], line)
                    seen[key] = line
            _flatten(self, node)

    return Loader


def _flatten(loader: Any, node: Any) -> None:
    """Expand the `<<` merges of a mapping node in place, as YAML's merge key says: the mapping's
    own keys win over merged ones, and of a list of merged mappings the earlier wins; keys keep
    the order a dict built by PyYAML gives them (merged first, an override in the merged key's place).

    PyYAML 6.0.4's own expansion leaves a merged mapping's overridden key in the node beside its
    override and drops duplicates by the key string's identity, so a mapping that merges one
    that itself merges and overrides (`top: {<<: *mid}`, `mid: {<<: *base, y: 3}`) got base's
    `y` without a word. Here each expanded node holds every key once, with the value a dict
    built from it would hold."""
    import yaml

    if not any(key_node.tag == _MERGE for key_node, _ in node.value):
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:value":
                key_node.tag = "tag:yaml.org,2002:str"
        return
    expanding: set[int] = loader._expanding
    if id(node) in expanding:
        raise yaml.constructor.ConstructorError(
            "while constructing a mapping", node.start_mark, "the mapping merges itself", node.start_mark)
    expanding.add(id(node))
    try:
        pairs: dict[Any, tuple[Any, Any]] = {}
        own: list[tuple[Any, Any]] = []
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE:
                own.append((key_node, value_node))
                continue
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark,
                        f"expected a mapping or list of mappings for merging, but found {source.id}",
                        source.start_mark)
                loader.flatten_mapping(source)
                for pair in source.value:
                    pairs.setdefault(_identity(loader, pair[0]), pair)
        for key_node, value_node in own:
            if key_node.tag == "tag:yaml.org,2002:value":
                key_node.tag = "tag:yaml.org,2002:str"
            pairs[_identity(loader, key_node)] = (key_node, value_node)
        node.value = list(pairs.values())
    finally:
        expanding.discard(id(node))


_MERGE = "tag:yaml.org,2002:merge"


def _identity(loader: Any, key_node: Any) -> Any:
    """What tells two keys apart once built: their value for a scalar (`1` and `0x1` are one
    key, as in a dict), the node itself for a mapping or list used as a key."""
    import yaml

    if isinstance(key_node, yaml.ScalarNode):
        return loader.construct_object(key_node)
    return id(key_node)


def _unquoted_reference(text: str, mark: Any) -> str:
    """A hint when the line YAML stopped on has an unquoted ${NAME:default} inside { }: there
    its braces end the mapping (`web: {port: ${PORT:8080}}` fails as "did not find expected
    ',' or '}'")."""
    if mark is None:
        return ""
    line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
    reference = ENV_REFERENCE.search(line)
    if reference is None or "{" not in line[:reference.start()] or \
            line[reference.start() - 1:reference.start()] in ("'", '"'):
        return ""
    return f" (inside {{ }} quote {reference.group(0)}: '{reference.group(0)}')"


def _refuse_cycles(value: Any, path: Path, seen: tuple[int, ...] = ()) -> None:
    """A YAML alias inside its own anchor makes a structure that contains itself: refuse it."""
    if not isinstance(value, (dict, list)):
        return
    if id(value) in seen:
        raise ConfigError(f"{path}: a setting refers to itself (a YAML alias inside its own anchor)")
    children = value.values() if isinstance(value, dict) else value
    for child in children:
        _refuse_cycles(child, path, (*seen, id(value)))
