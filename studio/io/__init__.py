"""File formats, one module each: project (.choreo), BVH, FBX, NPZ, glTF."""
