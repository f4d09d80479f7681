"""Training data from a FineDance-layout folder: ``motion/NNN.npy`` (T, 315) + ``music_npy/NNN.npy`` (T, 35).

For a partner model (``duets``): the dancer trained is ``partner/NNN.npy`` and each clip's condition is the
music followed by the lead's (``motion/NNN.npy``) 22 body joint positions in the song's frame; every window
is then put in the partner's own frame (``studio.ml.duet.canonical_duet``) instead of only moving its root.

Every pair becomes 319-d training features (foot contacts from the default skeleton's forward kinematics) and
the music features, cut to the shorter of the two. Files and splits are read with
``studio.data.finedance_folder`` (``split.json`` when present, else FineDance@Genre). Windows of ``length``
frames are taken at a stride (map-style, so a ``DistributedSampler`` can shard them); the trainer crops each
batch to a random length and offset.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np
import torch

from studio.core.errors import InputError
from studio.core.finedance import FPS, MUSIC_DIM, from_array, to_feature
from studio.ml.duet import LEAD_DIM, LEAD_JOINTS, canonical_duet
from studio.ml.normalize import ROOT_X, ROOT_Z, Normalizer, shift_root


@dataclass(frozen=True)
class Clip:
    name: str
    features: np.ndarray  # (T, 319)
    music: np.ndarray  # (T, 35)


def read_folder(
    folder: str | PathLike, split: str | None = "train", skeleton=None, music_norm: str = "none",
    duets: bool = False,
) -> list[Clip]:  # fmt: skip
    """The clips of ``split`` ("train", "val", "test"; None: all) as training features and music features.

    The split is ``split.json`` when the folder has one, else FineDance@Genre (``studio.data.finedance_folder``).
    ``music_norm``: what the model sees of each song's features (``studio.audio.features.condition_features``).
    ``duets``: the partner's features, and the lead's joints after the music (see the module docstring).
    """
    from studio.audio.features import condition_features
    from studio.data.finedance_folder import FineDanceFolder

    data = FineDanceFolder(folder)
    names = data.split()[split] if split else data.ids()
    if not names:
        raise InputError(folder, expected=f"songs in the {split!r} split", found="none")
    if skeleton is None:
        from studio.body.provider import default_skeleton

        skeleton = default_skeleton()
    if duets and not data.has_partners:
        raise InputError(data.root / "partner", expected="partner dances (a corpus written with --duets)",
                         found="no such folder")  # fmt: skip
    clips = []
    for name in names:
        motion = from_array(data.load_motion_array(name), FPS, source=data.motion_path(name))
        music = condition_features(data.load_features(name), music_norm)
        if duets:
            partner = data.load_partner(name)
            length = min(motion.num_frames, partner.num_frames, len(music))
            lead = motion[:length].positions(skeleton)[:, :LEAD_JOINTS].reshape(length, LEAD_DIM)
            music = np.concatenate((music[:length], lead.astype(np.float32)), axis=1)
            motion = partner
        length = min(motion.num_frames, len(music))
        clips.append(Clip(name, to_feature(motion[:length], skeleton), music[:length]))
    return clips


def read_folders(
    folders: Sequence[str | PathLike], split: str | None = "train", skeleton=None, music_norm: str = "none",
    duets: bool = False,
) -> list[Clip]:  # fmt: skip
    """The clips of ``split`` of several folders, one after the other; names become ``folder/NNN``."""
    clips = []
    for folder in folders:
        for clip in read_folder(folder, split, skeleton, music_norm, duets):
            clips.append(Clip(f"{Path(folder).name}/{clip.name}", clip.features, clip.music))
    return clips


class WindowDataset(torch.utils.data.Dataset):
    """Windows of ``length`` frames every ``stride`` frames of every clip long enough."""

    def __init__(self, clips: list[Clip], length: int, stride: int = 30) -> None:
        self.clips, self.length = clips, length
        self.index = [(c, s) for c, clip in enumerate(clips) for s in range(0, len(clip.features) - length + 1, stride)]
        if not self.index:
            longest = max(len(c.features) for c in clips)
            raise InputError(None, expected=f"clips of at least {length} frames", found=f"the longest has {longest}")

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        c, s = self.index[i]
        clip = self.clips[c]
        return torch.from_numpy(clip.features[s : s + self.length]), torch.from_numpy(clip.music[s : s + self.length])

    def minutes(self) -> float:
        return sum(len(c.features) for c in self.clips) / FPS / 60


def fit_normalizer(dataset: WindowDataset, min_len: int, duet_context: int | None = None) -> Normalizer:
    """Statistics of canonicalised windows (root x/z relative to the window's first frame; with
    ``duet_context``, partner windows in the partner's frame, ``studio.ml.duet.canonical_duet``)."""
    motions, musics = [], []
    for i in range(len(dataset)):
        features, music = dataset[i]
        f, m = features.numpy()[: max(min_len, 1)], music.numpy()[: max(min_len, 1)]
        if duet_context is None:
            motions.append(shift_root(f, -f[0, [ROOT_X, ROOT_Z]]))
            musics.append(music.numpy())
        else:
            f, lead = canonical_duet(f, m[:, MUSIC_DIM:], duet_context)
            motions.append(f)
            musics.append(np.concatenate((m[:, :MUSIC_DIM], lead), axis=1))
    return Normalizer.fit(motions, musics)


def crop(
    features: torch.Tensor, music: torch.Tensor, length: int, generator: torch.Generator,
    canonical_root: bool = True, duet_context: int | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:  # fmt: skip
    """One random window of ``length`` frames from a batch (same offset for all), root made relative (with
    ``duet_context``: each partner window and its lead in the partner's frame)."""
    total = features.shape[1]
    offset = int(torch.randint(0, total - length + 1, (1,), generator=generator))
    f, m = features[:, offset : offset + length], music[:, offset : offset + length]
    if duet_context is not None:
        pairs = [canonical_duet(a, b[:, MUSIC_DIM:], duet_context) for a, b in zip(f.numpy(), m.numpy(), strict=True)]
        f = torch.from_numpy(np.stack([a for a, _ in pairs]))
        m = torch.cat((m[..., :MUSIC_DIM], torch.from_numpy(np.stack([b for _, b in pairs]))), dim=-1)
    elif canonical_root:
        f = shift_root(f, -f[:, 0, [ROOT_X, ROOT_Z]])
    return f, m
