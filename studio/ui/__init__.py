"""Everything Qt: the editor window, timeline, viewport, panels, workers."""
