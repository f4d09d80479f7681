import struct

from studio.cli.main import main
from studio.data.procedural.preview import COLUMNS, ROWS, contact_sheet
from studio.data.procedural.raster import Canvas


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_contact_sheet_is_a_png_with_varied_moves(tmp_path):
    path = tmp_path / "kun.png"
    moves = contact_sheet("Kun", path)
    width, height = _png_size(path)
    assert width >= 1000 and height >= 600
    assert len(moves) == COLUMNS * ROWS and len(set(moves)) >= 4


def test_cli_preview_and_errors(tmp_path, capsys):
    out = tmp_path / "breaking.png"
    assert main(["corpus", "--preview", str(out), "--genre", "breaking"]) == 0
    assert _png_size(out)[0] > 0
    assert main(["corpus", "--preview", str(out), "--genre", "Polka"]) == 2
    assert "16 FineDance genres" in capsys.readouterr().err


def test_canvas_text_and_png_round_trip(tmp_path):
    canvas = Canvas(20, 60)
    canvas.text(2, 2, "AB 12")
    canvas.save_png(tmp_path / "t.png")
    assert _png_size(tmp_path / "t.png") == (60, 20)
    assert canvas.rgb.min() < 0.5  # ink was drawn


def test_dance_sheet_of_any_dance(tmp_path):
    import numpy as np

    from studio.data.procedural.choreographer import choreograph
    from studio.data.procedural.preview import dance_sheet

    beats = np.arange(0.5, 12.0, 0.5)
    motion = choreograph(beats, genre="Popping", seed=1)
    path = tmp_path / "dance.png"
    moments = dance_sheet(motion, path, "popping on a grid", beats, columns=6)
    assert len(moments) == 6 and moments == sorted(moments) and moments[-1] < motion.num_frames
    width, height = _png_size(path)
    assert width == 6 * 170 and height > 500


def test_duet_sheet_shows_both_dancers(tmp_path, monkeypatch):
    import numpy as np

    from studio.data.procedural.choreographer import choreograph
    from studio.data.procedural.preview import CELL_W, duet_sheet
    from studio.data.procedural.raster import Canvas

    drawn = []
    save = Canvas.save_png
    monkeypatch.setattr(Canvas, "save_png", lambda self, path: drawn.append(self.rgb.copy()) or save(self, path))
    beats = np.arange(0.5, 8.0, 0.5)
    lead = choreograph(beats, genre="Popping", seed=1)
    path = tmp_path / "duet.png"
    moments = duet_sheet(lead, lead.translated([1.5, 0.0, 0.0]), path, "two", beats, columns=3)
    assert len(moments) == 3 and _png_size(path)[0] == 3 * 2 * CELL_W
    # in the first cell, body pixels on both sides of its middle and a gap between: two dancers, not one
    cell = drawn[0][60:290, : 2 * CELL_W]
    inked = (np.abs(cell - cell[0, 0]).sum(-1) > 0.3).any(axis=0)
    assert inked[:CELL_W].sum() > 20 and inked[CELL_W:].sum() > 20
    assert not inked[CELL_W - 4 : CELL_W + 4].any()
