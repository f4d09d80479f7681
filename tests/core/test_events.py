import gc
import logging

import pytest

from studio.core.events import EmitterGroup, Event, Signal


def _group():
    return EmitterGroup(source="doc", signals=("value_changed", "name_changed"), quiet=("dirty_changed",))


def test_emit_calls_subscribers_with_an_event():
    signal = Signal("value_changed", source="doc")
    seen = []
    signal.connect(seen.append)
    event = signal.emit(value=3, old=2)
    assert seen == [event]
    assert (event.type, event.source, event.value, event.old) == ("value_changed", "doc", 3, 2)
    assert dict(event.payload) == {"value": 3, "old": 2}
    with pytest.raises(AttributeError, match="no 'missing'"):
        _ = event.missing


def test_event_is_immutable():
    event = Event("x", payload={"a": 1})
    with pytest.raises(AttributeError):
        event.type = "y"
    with pytest.raises(TypeError):
        event.payload["a"] = 2


def test_connect_is_idempotent_and_disconnect_works():
    signal = Signal("s")
    seen = []
    signal.connect(seen.append)
    signal.connect(seen.append)
    signal.emit()
    assert len(seen) == 1
    signal.disconnect(seen.append)
    signal.disconnect(seen.append)  # unknown: ignored
    signal.emit()
    assert len(seen) == 1
    with pytest.raises(TypeError):
        signal.connect(42)


def test_connect_works_as_a_decorator():
    signal = Signal("s")
    seen = []

    @signal.connect
    def on_s(event):
        seen.append(event.type)

    signal.emit()
    assert seen == ["s"] and on_s is not None


def test_a_raising_subscriber_is_logged_and_the_others_still_run(caplog):
    signal = Signal("s")
    seen = []

    def broken(event):
        raise RuntimeError("boom")

    signal.connect(broken)
    signal.connect(seen.append)
    with caplog.at_level(logging.ERROR, logger="studio.core.events"):
        signal.emit()
        signal.emit()
    assert len(seen) == 2
    assert "boom" in caplog.text and caplog.records[0].levelno == logging.ERROR


def test_bound_methods_are_held_weakly():
    class Widget:
        def __init__(self):
            self.seen = 0

        def _on_value_changed(self, event):
            self.seen += 1

    signal = Signal("value_changed")
    widget = Widget()
    signal.connect(widget._on_value_changed)
    signal.emit()
    assert widget.seen == 1
    del widget
    gc.collect()
    signal.emit()  # the gone widget is not called
    assert signal.callbacks == []


def test_lambdas_are_held_strongly():
    signal = Signal("s")
    seen = []
    signal.connect(lambda event: seen.append(event))
    gc.collect()
    signal.emit()
    assert len(seen) == 1


def test_subscribers_may_disconnect_while_emitting():
    signal = Signal("s")
    seen = []

    def once(event):
        seen.append("once")
        signal.disconnect(once)

    signal.connect(once)
    signal.connect(lambda event: seen.append("other"))
    signal.emit()
    signal.emit()
    assert seen == ["once", "other", "other"]


def test_blocked_signal_emits_nothing():
    events = _group()
    seen, changed = [], []
    events.value_changed.connect(seen.append)
    events.changed.connect(changed.append)
    with events.value_changed.blocked():
        assert events.value_changed.emit(value=1) is None
    with events.blocked():
        events.value_changed.emit(value=1)
        events.name_changed.emit(name="x")
    assert seen == [] and changed == []


def test_changed_follows_every_content_change_outside_a_batch():
    events = _group()
    changed = []
    events.changed.connect(changed.append)
    events.value_changed.emit(value=1)
    events.name_changed.emit(name="a")
    events.dirty_changed.emit(dirty=True)  # quiet: not a content change
    assert [e.types for e in changed] == [("value_changed",), ("name_changed",)]


def test_batch_emits_one_changed_at_the_end():
    events = _group()
    changed, specific = [], []
    events.changed.connect(changed.append)
    events.value_changed.connect(specific.append)
    with events.batch():
        events.value_changed.emit(value=1)
        with events.batch():  # nested: only the outermost emits
            events.name_changed.emit(name="a")
            events.value_changed.emit(value=2)
        assert changed == []
        assert len(specific) == 2  # specific signals are not delayed
    assert len(changed) == 1
    assert changed[0].types == ("value_changed", "name_changed")


def test_batch_without_changes_emits_nothing():
    events = _group()
    changed = []
    events.changed.connect(changed.append)
    with events.batch():
        events.dirty_changed.emit(dirty=False)
    assert changed == []


def test_batch_reports_changes_even_when_the_block_raises():
    events = _group()
    changed = []
    events.changed.connect(changed.append)
    with pytest.raises(KeyError), events.batch():
        events.value_changed.emit(value=1)
        raise KeyError("x")
    assert len(changed) == 1


def test_group_lookup_and_reserved_names():
    events = _group()
    assert events.names == ("value_changed", "name_changed", "dirty_changed")
    assert [s.type for s in events] == list(events.names)
    with pytest.raises(AttributeError, match="no signal"):
        _ = events.nothing_changed
    for bad in ("changed", "batch", "_x"):
        with pytest.raises(ValueError):
            EmitterGroup(None, signals=(bad,))


def test_disconnect_all():
    events = _group()
    seen = []
    events.value_changed.connect(seen.append)
    events.changed.connect(seen.append)
    events.disconnect_all()
    events.value_changed.emit(value=1)
    assert seen == []
