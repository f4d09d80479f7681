"""The papers' metrics: FID_k/g/h, Div, BAS, MM, GS, foot skating, PFC, duet scores (numpy/scipy)."""
