"""Finding a moved song by its content hash near the project."""

from __future__ import annotations

from studio.audio.cache import file_sha256
from studio.audio.locate import find_moved_song


def test_the_song_is_found_by_content_not_by_name(tmp_path):
    project = tmp_path / "project"
    (project / "music" / "old").mkdir(parents=True)
    song = project / "music" / "old" / "renamed.flac"
    song.write_bytes(b"the song's bytes")
    (project / "song.wav").write_bytes(b"another song under the old name")
    (project / "notes.txt").write_bytes(b"the song's bytes")  # not audio: never looked at
    digest = file_sha256(song)

    assert find_moved_song(digest, "song.wav", [project]) == song.resolve()
    assert find_moved_song(digest, "song.wav", [tmp_path / "missing", project]) == song.resolve()
    assert find_moved_song("0" * 64, "song.wav", [project]) is None


def test_the_search_stays_near_and_bounded(tmp_path):
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    (deep / "song.wav").write_bytes(b"too deep")
    assert find_moved_song(file_sha256(deep / "song.wav"), "song.wav", [tmp_path]) is None  # 3 folders down
    near = tmp_path / "a" / "song.wav"
    near.write_bytes(b"near")
    assert find_moved_song(file_sha256(near), "x.wav", [tmp_path], max_files=0) is None
    assert find_moved_song(file_sha256(near), "x.wav", [tmp_path]) == near.resolve()
