"""A city's publishing settings, read from its `cablecast:` section."""

from __future__ import annotations

import pytest

from archivist.domain.errors import ConfigError
from archivist.domain.models import Publication, PublicationState
from archivist.domain.publishing.publisher import CityPublishing
from archivist.domain.publishing.vod import Chapter


def test_a_city_without_a_cablecast_section_does_not_publish() -> None:
    assert CityPublishing.from_config(None) is None
    assert CityPublishing.from_config({}) is None


def test_a_city_section_becomes_settings() -> None:
    city = CityPublishing.from_config({"location": 3, "sidecar": "upload", "file_store": 7,
                                       "chapters": False})
    assert city == CityPublishing(location=3, sidecar="upload", file_store=7, chapters=False)


@pytest.mark.parametrize(("section", "message"), [
    ({"sidecar": "ftp"}, "expected beside or upload"),
    ({"sidecar": "upload"}, "file_store is not set"),
    ({"location": 3, "filestore": 7}, "unknown cablecast setting(s) for a city: filestore"),
])
def test_wrong_settings_say_which(section, message) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        CityPublishing.from_config(section)


def test_a_publication_reads_as_json_for_the_cli() -> None:
    done = Publication(media="/mnt/flex-3/a.mp4", state=PublicationState.PUBLISHED, show_id=1001,
                       link_reason="file name names show 1001", vod_id=5000, sidecar="beside",
                       chapters=(Chapter(offset=3, title="Call to order", id=7),))
    as_json = done.as_dict()
    assert as_json["state"] == "published" and as_json["show"] == 1001
    assert as_json["chapters"] == [{"id": 7, "offset": 3, "title": "Call to order"}]
