"""Load the configuration: config.yml defaults, ARCHIVIST_CONFIG overlay, ${ENV:default} values.

Reading files is the only I/O here, and it happens when `load()` is called, never at import.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from archivist.domain.errors import ConfigError
from archivist.providers import yaml_reading
from archivist.providers.settings_rules import check_ranges, unknown
from archivist.providers.yaml_reading import ENV_REFERENCE

SECRET_KEYS = frozenset({"password", "secret_key", "token", "api_key"})


def defaults_path() -> Path:
    return Path(str(resources.files("archivist").joinpath("config.yml")))


def load(path: str | os.PathLike[str] | None = None,
         environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The effective configuration as a plain dict.

    `path` (or else $ARCHIVIST_CONFIG) names a file laid over the defaults.
    """
    env = os.environ if environ is None else environ
    base_file = defaults_path()
    config = _interpolate(yaml_reading.read(base_file), env, base_file)
    overlay_name = path or env.get("ARCHIVIST_CONFIG")
    if overlay_name:
        overlay_file = Path(overlay_name).expanduser()
        overlay = _interpolate(yaml_reading.read(overlay_file), env, overlay_file)
        config = _merge(config, overlay, overlay_file, prefix="")
    config = _plain(config)
    config["data_dir"] = str(Path(str(config["data_dir"])).expanduser())
    _trim_urls(config)
    check_ranges(config, overlay_file if overlay_name else base_file)
    return config


URL_KEYS = ("database", "redis", "cablecast")


def _trim_urls(config: dict[str, Any]) -> None:
    """Backends' URLs without the spaces around them: a URL never ends in one (it would be
    written %20), but an environment file's `ARCHIVIST_DATABASE_URL=postgresql://.../db ` keeps
    the space it was typed with, and one saved with Windows line ends a '\\r'; the database
    then said 'database "db " does not exist'."""
    for section in URL_KEYS:
        value = config.get(section, {}).get("url")
        if isinstance(value, str):
            config[section]["url"] = value.strip()


class EnvText(str):
    """A value taken whole from an environment variable: text, converted only to the declared type."""

    variable: str = ""


def _interpolate(value: Any, env: Mapping[str, str], source: Path, key: str = "") -> Any:
    """Replace ${NAME:default}.

    A value that is only a reference keeps the type its default is written in (`${WAIT:2}` is a
    number); a variable's text is converted to that type and to nothing else, so a password
    `0123` stays `0123`. With no default, it stays text until the key's declared type is known
    (see _check_type). An empty variable, or one of spaces only, counts as unset.
    """
    if isinstance(value, dict):
        return {k: _interpolate(v, env, source, f"{key}.{k}" if key else str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, env, source, f"{key}[{i}]") for i, v in enumerate(value)]
    if not isinstance(value, str) or "${" not in value:
        return value

    def sub(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if _set(env, name):
            return env[name]
        if default is None:
            raise ConfigError(f"{source}: '{key}': environment variable {name} is not set and has no default")
        return default

    whole = ENV_REFERENCE.fullmatch(value.strip())
    if not whole:
        return ENV_REFERENCE.sub(sub, value)
    name, default = whole.group(1), whole.group(2)
    declared = _yaml_scalar(default) if default else None
    if not _set(env, name):
        if default is None:
            sub(whole)  # raises: not set, no default
        return declared if declared is not None else (default or "")
    text = EnvText(env[name])
    text.variable = name
    if declared is None or isinstance(declared, str):
        return text
    return _check_type(declared, text, source, key)


def _set(env: Mapping[str, str], name: str) -> bool:
    """True when the variable holds more than whitespace: `ARCHIVIST_REDIS_URL= ` in an
    environment file means no Redis, not a Redis at ' '. A value that is set is kept as is."""
    return bool(env.get(name, "").strip())


def _plain(value: Any) -> Any:
    """The configuration with environment text as plain str (YAML and JSON dumpers want that)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, EnvText) else value


def _yaml_scalar(text: str) -> Any:
    """A default written after the colon, read as YAML would read it (2 is a number)."""
    import yaml

    try:
        parsed = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return parsed if isinstance(parsed, (int, float, bool, str)) else text


def _merge(base: dict[str, Any], overlay: dict[str, Any], source: Path, prefix: str) -> dict[str, Any]:
    """Lay `overlay` over `base`, refusing keys the defaults don't have and values of the wrong type."""
    merged = copy.deepcopy(base)
    for k, v in overlay.items():
        key = f"{prefix}{k}"
        if k not in base:
            raise ConfigError(f"{source}: {unknown(key, str(k), base)}")
        default = base[k]
        if isinstance(default, dict):
            if not isinstance(v, dict):
                raise ConfigError(f"{source}: '{key}' must be a mapping of settings, got {v!r}")
            merged[k] = _merge(default, v, source, f"{key}.")
        else:
            merged[k] = _check_type(default, v, source, key)
    return merged


_TRUE, _FALSE = frozenset({"true", "yes", "on", "1"}), frozenset({"false", "no", "off", "0"})


def _check_type(default: Any, value: Any, source: Path, key: str) -> Any:
    """`value` if it has the type of `default`; text from the environment is converted to it."""
    if value is None or default is None:
        return value
    if isinstance(value, EnvText):
        return _from_env(default, value, source, key)
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
    elif default == "auto" and isinstance(value, bool):
        pass   # auto, true or false: the rules check the rest
    elif isinstance(default, str) and not isinstance(value, str):
        # YAML reads password: 0123 as 83 and 0x1F as 31: say so rather than change the text.
        written = _as_written(source, key)
        shown = f"{written!r}, which YAML reads as {value!r}" if written else repr(value)
        raise ConfigError(f"{source}: '{key}' must be text, got {shown}; quote it: "
                          f"{key.rsplit('.', 1)[-1]}: \"{written or value}\"")
    return value


def _as_written(source: Path, key: str) -> str | None:
    """The text of `key` as written in `source` (for an error message), if it can be found."""
    import yaml

    try:
        value: Any = yaml.load(source.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for part in key.split("."):
            value = value[part]
    except Exception:  # only the message is poorer for it
        return None
    return value if isinstance(value, str) else None


def _from_env(default: Any, value: EnvText, source: Path, key: str) -> Any:
    """Convert an environment variable's text to the type the key declares."""
    where = f"{source}: '{key}' (from ${value.variable})"
    text = str(value).strip()
    if isinstance(default, bool):
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise ConfigError(f"{where} must be true or false, got {text!r}")
    if isinstance(default, int):
        try:
            return int(text)
        except ValueError:
            pass
    if isinstance(default, (int, float)):
        try:
            return float(text)
        except ValueError:
            raise ConfigError(f"{where} must be a number, got {text!r}") from None
    if isinstance(default, (list, dict)):
        raise ConfigError(f"{where} cannot be set from the environment (it is a "
                          f"{'list' if isinstance(default, list) else 'mapping'})")
    return str(value)


def masked(config: dict[str, Any]) -> dict[str, Any]:
    """A copy safe to print: secrets, and passwords inside URLs, replaced by ****."""
    from archivist.providers.urls import masked_url

    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: walk(v, str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if key in SECRET_KEYS and value:
            return "****"
        if isinstance(value, str) and "://" in value:
            return masked_url(value)
        return value
    return walk(config)
