"""Load the configuration: config.yml defaults, ARCHIVIST_CONFIG overlay, ${ENV:default} values.

Reading files is the only I/O here, and it happens when `load()` is called, never at import.
"""

from __future__ import annotations

import copy
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

from archivist.domain.errors import ConfigError

_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}")
SECRET_KEYS = frozenset({"password", "secret_key", "token", "api_key"})


def defaults_path() -> Path:
    return Path(str(resources.files("archivist").joinpath("config.yml")))


def load(path: str | os.PathLike[str] | None = None,
         environ: dict[str, str] | None = None) -> dict[str, Any]:
    """The effective configuration as a plain dict.

    `path` (or else $ARCHIVIST_CONFIG) names a file laid over the defaults.
    """
    env = os.environ if environ is None else environ
    base_file = defaults_path()
    config = _interpolate(_read_yaml(base_file), env, base_file)
    overlay_name = path or env.get("ARCHIVIST_CONFIG")
    if overlay_name:
        overlay_file = Path(overlay_name).expanduser()
        overlay = _interpolate(_read_yaml(overlay_file), env, overlay_file)
        config = _merge(config, overlay, overlay_file, prefix="")
    config["data_dir"] = str(Path(str(config["data_dir"])).expanduser())
    return config


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        # The C loader when PyYAML has it: it keeps create_app() fast.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}:{where}: not valid YAML: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top, got {type(data).__name__}")
    return data


def _interpolate(value: Any, env: dict[str, str], source: Path, key: str = "") -> Any:
    """Replace ${NAME:default}; a value that is only a reference takes the YAML type of the result."""
    if isinstance(value, dict):
        return {k: _interpolate(v, env, source, f"{key}.{k}" if key else str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, env, source, f"{key}[{i}]") for i, v in enumerate(value)]
    if not isinstance(value, str) or "${" not in value:
        return value

    def sub(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in env:
            return env[name]
        if default is None:
            raise ConfigError(f"{source}: {key}: environment variable {name} is not set and has no default")
        return default

    whole = _ENV.fullmatch(value.strip())
    result = _ENV.sub(sub, value)
    if whole:
        import yaml

        if result == "":
            return ""
        try:
            parsed = yaml.safe_load(result)
        except yaml.YAMLError:
            return result
        return parsed if isinstance(parsed, (int, float, bool, str)) else result
    return result


def _merge(base: dict[str, Any], overlay: dict[str, Any], source: Path, prefix: str) -> dict[str, Any]:
    """Lay `overlay` over `base`, refusing keys the defaults don't have and values of the wrong type."""
    merged = copy.deepcopy(base)
    for k, v in overlay.items():
        key = f"{prefix}{k}"
        if k not in base:
            known = ", ".join(sorted(map(str, base))) or "none"
            raise ConfigError(f"{source}: unknown setting '{key}' (known here: {known})")
        default = base[k]
        if isinstance(default, dict):
            if not isinstance(v, dict):
                raise ConfigError(f"{source}: '{key}' must be a mapping of settings, got {v!r}")
            merged[k] = _merge(default, v, source, f"{key}.")
        else:
            merged[k] = _check_type(default, v, source, key)
    return merged


def _check_type(default: Any, value: Any, source: Path, key: str) -> Any:
    if value is None or default is None:
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{source}: '{key}' must be true or false, got {value!r}")
    elif isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{source}: '{key}' must be a number, got {value!r}")
        if isinstance(default, float):
            value = float(value)
    elif isinstance(default, list):
        if not isinstance(value, list):
            raise ConfigError(f"{source}: '{key}' must be a list, got {value!r}")
    elif isinstance(default, str) and not isinstance(value, (str, int, float)):
        raise ConfigError(f"{source}: '{key}' must be text, got {value!r}")
    elif isinstance(default, str):
        value = str(value)
    return value


def masked(config: dict[str, Any]) -> dict[str, Any]:
    """A copy safe to print: secrets and passwords inside URLs replaced by ****."""
    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: walk(v, str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if key in SECRET_KEYS and value:
            return "****"
        if isinstance(value, str) and "://" in value:
            return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1****@", value)
        return value
    return walk(config)
