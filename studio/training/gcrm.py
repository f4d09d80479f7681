"""Training GCRM (the genre ranker's music and dance encoders) on a FineDance-layout folder.

    python -m studio train gcrm --data DIR --out models/NAME [--config small|tiny|CONFIG.json] [--steps N]
                                [--batch-size B] [--lr LR] [--max-minutes M] [--checkpoint-every N] [--resume]
                                [--threads N] [--no-eval]

(``python -m studio.training.gcrm ...`` takes the same arguments.)

Data: ``motion/NNN.npy`` (T, 315), ``label_json/NNN.json`` (the genre: key ``genre``, else ``style2``, else
``style``), and the music as ``music_mel/NNN.npy`` (T, 128) log-mel if present, else ``music_wav/NNN.*``
(decoded at 15360 Hz and turned into the same 128-band dB mel as ``SongAnalysis.mel``). ``split.json`` chooses
the train and test clips. Joint positions come from the default avatar's skeleton (torch forward kinematics).

Each step draws ``batch_size`` aligned (music, dance) segments of one random length in [min_len, max_len]
frames: a genre uniformly, then a clip of it, then an offset (genre-balanced batches). Augmentation: a left /
right mirror of the dance (half the segments), one frequency and one time mask on the mel (SpecAugment).
Loss: the paper's cosine loss over ALL music x dance pairs of the batch (matched when the genres agree),
matched and mismatched pairs weighted equally (:func:`studio.ml.genre.pairwise_genre_loss`), plus (our
addition, ``anchor_weight``) a cross-entropy towards learnable per-genre anchors, which keeps the genres from
merging into a few clusters (:class:`GenreAnchors` says why).

AdamW with warm-up and cosine decay, gradient clipping, an EMA of the weights (shipped). At every checkpoint
the genre prototypes are fitted with the EMA weights on the train segments (non-overlapping 4-s windows), the
test split's retrieval figures go in the card, and the model folder and ``checkpoint.pt`` are rewritten.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, replace
from os import PathLike
from pathlib import Path
from typing import Any, Unpack

import numpy as np
import torch
import torch.nn.functional as F

from studio.core.errors import InputError
from studio.core.finedance_layout import LABEL_KEYS, genre_in_label
from studio.core.skeleton import MIRROR
from studio.ml.genre.config import FINEDANCE_GENRES, GCRMConfig, preset
from studio.ml.genre.evaluation import retrieval_figures
from studio.ml.genre.loss import pairwise_genre_loss
from studio.ml.genre.model import GCRM
from studio.ml.genre.prototypes import GenrePrototypes
from studio.ml.genre.weights import save_gcrm
from studio.ml.kinematics import ForwardKinematics
from studio.training import loop
from studio.training.checkpoint import load_checkpoint, save_checkpoint
from studio.training.options import add_train_arguments, model_config_from, train_changes
from studio.training.progress import ProgressBar

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3")


@dataclass(frozen=True)
class GCRMTrainConfig(loop.LoopConfig):
    batch_size: int = 32
    lr: float = 1e-3
    weight_decay: float = 0.05
    ema_decay: float = 0.995
    checkpoint_every: int = 250
    min_len: int = 90  # segment lengths drawn per batch (frames): 3 .. 5 s, as the editor's segments
    max_len: int = 150
    mirror: bool = True
    spec_augment: bool = True
    recording_augment: bool = False  # random EQ, band shift, room reverb, noise floor on the mel (see docs/gcrm.md)
    intra_weight: float = 0.0  # >0: also music-music and dance-dance pairs (not in the paper)
    anchor_weight: float = 1.0  # the genre-anchor cross-entropy beside the paper's loss (0: the paper's loss only)
    anchor_temperature: float = 0.1
    # more FineDance-layout folders (e.g. real recordings with composed dances) whose train split is trained on
    # and whose val split joins the calibration of the temperature; --data's test split stays the evaluation
    extra_data: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.steps < 1 or self.batch_size < 2 or not 2 <= self.min_len <= self.max_len:
            raise ValueError(f"invalid GCRM training config: {self}")


@dataclass(frozen=True, eq=False)
class GenreClip:
    name: str
    genre: str
    mel: np.ndarray  # (T, 128) float32 dB
    positions: np.ndarray  # (T, 52, 3) float32 metres
    source: str = ""  # the data folder it came from (sampling balances folders within a genre)


# -- data -----------------------------------------------------------------------------------------------


def read_genre_label(path: Path) -> str:
    """The genre name in a ``label_json`` file, read as every FineDance-layout reader reads it
    (``studio.core.finedance_layout.genre_in_label``: ``style2``, then ``genre``, ``style``, or a bare string)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, expected="a label_json file with the clip's genre", found="no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(path, expected="JSON", found=f"unreadable content ({error})") from None
    found = genre_in_label(data)
    if found is None:
        raise InputError(path, expected=f"a genre under one of the keys {', '.join(LABEL_KEYS)}",
                         found=repr(data)[:80])  # fmt: skip
    return found


def log_mel(samples: np.ndarray) -> np.ndarray:
    """(T, 128) float32 dB of mono samples at 15360 Hz: the ``SongAnalysis.mel`` recipe (studio.audio.features:
    128-band Slaney mel power, n_fft 2048, hop 512, centred with reflect padding, ``power_to_db`` ref 1, top 80)."""
    import librosa

    from studio.audio.features import HOP_LENGTH, N_MELS, SAMPLE_RATE

    power = librosa.feature.melspectrogram(
        y=samples, sr=SAMPLE_RATE, n_fft=2048, hop_length=HOP_LENGTH, n_mels=N_MELS, pad_mode="reflect"
    )
    return np.ascontiguousarray(librosa.power_to_db(power).T, dtype=np.float32)


def _clip_mel(folder: Path, name: str) -> np.ndarray:
    cached = folder / "music_mel" / f"{name}.npy"
    if cached.is_file():
        mel = np.load(cached).astype(np.float32)
        if mel.ndim != 2 or mel.shape[1] != 128:
            raise InputError(cached, expected="a (T, 128) log-mel", found=f"shape {mel.shape}")
        return mel
    for suffix in AUDIO_SUFFIXES:
        audio = folder / "music_wav" / f"{name}{suffix}"
        if audio.is_file():
            from studio.audio import decode
            from studio.audio.features import SAMPLE_RATE

            samples, _ = decode(audio, SAMPLE_RATE)
            return log_mel(samples)
    raise InputError(folder, expected=f"music_mel/{name}.npy or music_wav/{name}.wav", found="neither")


def split_names(folder: Path, split: str | None) -> list[str]:
    motion_dir = folder / "motion"
    if not motion_dir.is_dir() or not (folder / "label_json").is_dir():
        raise InputError(folder, expected="a FineDance-layout folder with motion/ and label_json/",
                         found="no such sub-folders")  # fmt: skip
    names = sorted(p.stem for p in motion_dir.glob("*.npy"))
    split_file = folder / "split.json"
    if split and split_file.is_file():
        try:
            wanted = json.loads(split_file.read_text()).get(split)
        except (OSError, json.JSONDecodeError, AttributeError) as error:
            raise InputError(split_file, expected="JSON {split: [names]}", found=str(error)) from None
        if wanted is not None:
            wanted = {str(w) for w in wanted}
            names = [n for n in names if n in wanted]
    return names


def read_genre_folder(folder: str | PathLike, split: str | None = "train", skeleton=None) -> list[GenreClip]:
    """The clips of a split with their genre, log-mel and joint positions (cut to the shorter of the two)."""
    from studio.core import finedance

    folder = Path(folder)
    if skeleton is None:
        from studio.body.provider import default_skeleton

        skeleton = default_skeleton()
    fk = ForwardKinematics(skeleton)
    clips = []
    for name in split_names(folder, split):
        genre = read_genre_label(folder / "label_json" / f"{name}.json")
        motion = finedance.load(folder / "motion" / f"{name}.npy")
        mel = _clip_mel(folder, name)
        length = min(motion.num_frames, len(mel))
        with torch.no_grad():
            rot = torch.as_tensor(motion.rotations[:length], dtype=torch.float32)
            positions = fk(rot, torch.as_tensor(motion.trans[:length], dtype=torch.float32)).numpy()
        clips.append(GenreClip(name, genre, mel[:length], positions))
    return clips


def read_genre_folders(folders, split: str | None = "train", skeleton=None) -> list[GenreClip]:
    """The clips of ``split`` of several folders, one after the other; names become ``folder/NNN``."""
    return [GenreClip(f"{Path(folder).name}/{c.name}", c.genre, c.mel, c.positions, str(folder))
            for folder in folders for c in read_genre_folder(folder, split, skeleton)]  # fmt: skip


def genre_names(clips: list[GenreClip]) -> tuple[str, ...]:
    """FineDance's genre order for the known names, then any others alphabetically."""
    present = {c.genre for c in clips}
    return tuple(g for g in FINEDANCE_GENRES if g in present) + tuple(sorted(present - set(FINEDANCE_GENRES)))


def mirror_positions(positions: torch.Tensor) -> torch.Tensor:
    """Left/right mirror of (..., 52, 3) positions: x -> -x and left/right joints swapped."""
    flipped = positions[..., torch.as_tensor(MIRROR), :].clone()
    flipped[..., 0] = -flipped[..., 0]
    return flipped


class SegmentSampler:
    """Genre-balanced batches of aligned (mel, positions) segments; deterministic given (seed, step).

    Within a genre every data folder is drawn as often as the others (then clips by length): 72 minutes of
    recordings danced as Jazz must not drown the procedural corpus's three Jazz songs.
    """

    def __init__(self, clips: list[GenreClip], genres: tuple[str, ...], max_len: int) -> None:
        self.clips = [c for c in clips if len(c.mel) >= max_len]
        if not self.clips:
            longest = max((len(c.mel) for c in clips), default=0)
            raise InputError(None, expected=f"clips of at least {max_len} frames", found=f"the longest has {longest}")
        self.genres = genres
        self.by_genre = {g: [i for i, c in enumerate(self.clips) if c.genre == genres[g]] for g in range(len(genres))}
        self.by_genre = {g: v for g, v in self.by_genre.items() if v}

    def sample(self, batch: int, length: int, rng: np.random.Generator):
        present = sorted(self.by_genre)
        mels, poses, labels = [], [], []
        for _ in range(batch):
            g = present[rng.integers(len(present))]
            members = self.by_genre[g]
            weights = np.array([len(self.clips[i].mel) - length + 1 for i in members], dtype=np.float64)
            sources = [self.clips[i].source for i in members]
            for source in set(sources):  # each folder gets an equal share of the genre
                mine = np.array([s == source for s in sources])
                weights[mine] /= weights[mine].sum()
            clip = self.clips[members[rng.choice(len(members), p=weights / weights.sum())]]
            start = int(rng.integers(0, len(clip.mel) - length + 1))
            mels.append(clip.mel[start : start + length])
            poses.append(clip.positions[start : start + length])
            labels.append(g)
        return torch.as_tensor(np.stack(mels)), torch.as_tensor(np.stack(poses)), torch.as_tensor(labels)


def spec_augment(mel: torch.Tensor, rng: np.random.Generator, max_bands: int = 16, max_frames: int = 12):
    """One frequency and one time mask per segment, filled with the segment's mean."""
    mel = mel.clone()
    b, t, f = mel.shape
    fill = mel.mean(dim=(1, 2))
    for i in range(b):
        width = int(rng.integers(0, max_bands))
        start = int(rng.integers(0, f - width + 1))
        mel[i, :, start : start + width] = fill[i]
        width = int(rng.integers(0, min(max_frames, t // 4) + 1))
        start = int(rng.integers(0, t - width + 1))
        mel[i, start : start + width] = fill[i]
    return mel


def recording_augment(mel: torch.Tensor, rng: np.random.Generator) -> torch.Tensor:
    """Make synthesised music sound more like a recording, on the (B, T, F) dB mel, each segment its own draw:

    - a random smooth EQ curve (3 cosines over the bands, up to +-6 dB);
    - a shift of the bands by -3..3 (a rough pitch / formant shift), edge bands repeated;
    - half of the segments: a room (power decaying by a factor 0.3-0.85 per frame, i.e. 30-200 ms);
    - half of the segments: a noise floor 25-45 dB under the segment's loudest bin, tilted towards the bass.
    """
    b, t, f = mel.shape
    bands = torch.linspace(0, 1, f, dtype=mel.dtype)
    harmonics = torch.arange(1, 4, dtype=mel.dtype)[:, None]
    amplitudes = torch.as_tensor(rng.uniform(-2.0, 2.0, size=(b, 3, 1)), dtype=mel.dtype)
    phases = torch.as_tensor(rng.uniform(0, 2 * np.pi, size=(b, 3, 1)), dtype=mel.dtype)
    x = mel + (amplitudes * torch.cos(np.pi * harmonics * bands + phases)).sum(1)[:, None, :]
    shifts = rng.integers(-3, 4, size=b)
    index = (torch.arange(f)[None, :] - torch.as_tensor(shifts)[:, None]).clamp(0, f - 1)  # (B, F)
    x = torch.gather(x, 2, index[:, None, :].expand(b, t, f))
    power = torch.pow(10.0, x / 10.0)
    decay = torch.as_tensor(rng.uniform(0.3, 0.85, size=b) * (rng.random(b) < 0.5), dtype=mel.dtype)[:, None]
    if bool((decay > 0).any()):
        frames = [power[:, 0]]
        for j in range(1, t):
            frames.append(power[:, j] + decay * frames[-1])
        power = torch.stack(frames, dim=1) * (1 - decay)[:, None]
    noisy = torch.as_tensor(rng.random(b) < 0.5)
    def draw(low: float, high: float, size) -> torch.Tensor:
        return torch.as_tensor(rng.uniform(low, high, size=size), dtype=mel.dtype)

    floor = power.amax(dim=(1, 2)) * torch.pow(10.0, -draw(25, 45, b) / 10)
    tilt = torch.pow(10.0, -bands[None] * draw(0, 20, (b, 1)) / 10)
    noise = floor[:, None, None] * tilt[:, None, :] * draw(0.5, 1.5, (b, t, f))
    power = power + noise * noisy[:, None, None].to(mel.dtype)
    db = 10 * torch.log10(power.clamp_min(1e-10))
    return torch.maximum(db, db.amax(dim=(1, 2), keepdim=True) - 80.0)


def segments(clips: list[GenreClip], genres: tuple[str, ...], length: int = 120):
    """Non-overlapping aligned windows of every clip: (mel, positions, labels, clip index)."""
    index = {g: i for i, g in enumerate(genres)}
    mels, poses, labels, owners = [], [], [], []
    for c, clip in enumerate(clips):
        if clip.genre not in index:
            continue
        for start in range(0, len(clip.mel) - length + 1, length):
            mels.append(clip.mel[start : start + length])
            poses.append(clip.positions[start : start + length])
            labels.append(index[clip.genre])
            owners.append(c)
    if not mels:
        return None
    return np.stack(mels), np.stack(poses), np.asarray(labels), np.asarray(owners)


@torch.no_grad()
def embed_segments(model: GCRM, mel: np.ndarray, positions: np.ndarray, device, batch: int = 64):
    music, dance = [], []
    for i in range(0, len(mel), batch):
        music.append(model.embed_music(torch.as_tensor(mel[i : i + batch], device=device)).cpu())
        dance.append(model.embed_dance(torch.as_tensor(positions[i : i + batch], device=device)).cpu())
    return torch.cat(music), torch.cat(dance)


def fit_prototypes(model: GCRM, clips: list[GenreClip], genres: tuple[str, ...], device) -> GenrePrototypes:
    data = segments(clips, genres, model.config.window)
    if data is None:
        raise InputError(None, expected=f"clips of at least {model.config.window} frames", found="none")
    mel, positions, labels, _ = data
    music, dance = embed_segments(model, mel, positions, device)
    return GenrePrototypes.fit(genres, music, dance, torch.as_tensor(labels))


def evaluate(model: GCRM, clips: list[GenreClip], prototypes: GenrePrototypes, device) -> dict[str, Any]:
    data = segments(clips, prototypes.names, model.config.window)
    if data is None:
        return {}
    mel, positions, labels, owners = data
    music, dance = embed_segments(model, mel, positions, device)
    return retrieval_figures(music, dance, labels, owners, prototypes)


# -- training -------------------------------------------------------------------------------------------


class GenreAnchors(torch.nn.Module):
    """One learnable unit vector per genre in the shared space; cross-entropy of softmax(cos / temperature).

    Training only (not shipped). The paper's cosine loss alone has a stationary point where several genres
    share one direction (two identical unit vectors get no gradient from cos), and on the procedural corpus it
    settles there: three clusters (street, Chinese classical, folk-like) with the genres inside them merged.
    Pulling every music and dance embedding towards its genre's anchor and away from the 15 others separates
    all 16 genres in both modalities; the cosine loss still aligns music with dance.
    """

    def __init__(self, genres: int, dim: int, temperature: float = 0.1) -> None:
        super().__init__()
        self.vectors = torch.nn.Parameter(torch.randn(genres, dim))
        self.temperature = temperature

    def forward(self, embeddings: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        vectors = F.normalize(self.vectors, dim=-1)
        logits = F.normalize(embeddings, dim=-1) @ vectors.T
        return F.cross_entropy(logits / self.temperature, labels)


def _lr_factor(step: int, train: GCRMTrainConfig) -> float:
    """Linear warm-up, then cosine decay to 5 %."""
    return loop.warmup_cosine(step, train, 0.05)


class GCRMRunOptions(loop.RunOptions, total=False):
    evaluate_test: bool  # the retrieval figures on the data's test split at every checkpoint (default True)


def train_gcrm(
    data: str | PathLike, out: str | PathLike, model_config: GCRMConfig, train: GCRMTrainConfig,
    **options: Unpack[GCRMRunOptions],
) -> dict[str, Any]:  # fmt: skip
    """Train and write ``out`` (model folder + checkpoint.pt). Returns the summary (also in the card).

    ``options``: ``resume``, ``device``, ``stream``, ``preset_name`` (:class:`studio.training.loop.RunOptions`)
    and ``evaluate_test``: the retrieval figures on the data's test split at every checkpoint (in the card).
    """
    opts = loop.run_options(dict(options), evaluate_test=True)
    device, preset_name, evaluate_test = opts["device"], opts["preset_name"], opts["evaluate_test"]
    stream = opts["stream"] or sys.stderr
    out = Path(out)
    dev = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    state = load_checkpoint(out) if opts["resume"] else None
    if state is not None:
        model_config = GCRMConfig.from_dict(state["model_config"])
        train = replace(GCRMTrainConfig.from_dict(state["train_config"]), steps=train.steps,
                        max_minutes=train.max_minutes)  # fmt: skip
    torch.manual_seed(train.seed)
    clips = read_genre_folders((data, *train.extra_data), "train")
    test_clips = read_genre_folder(data, "test") if evaluate_test and _has_split(data, "test") else []
    val_clips = read_genre_folders([f for f in (data, *train.extra_data) if _has_split(f, "val")], "val")
    calibration_split, calibration_clips = ("val", val_clips) if val_clips else ("test", test_clips)
    genres = tuple(state["genres"]) if state is not None else genre_names(clips)
    sampler = SegmentSampler(clips, genres, train.max_len)

    model = GCRM(model_config).to(dev)
    ema = loop.ema_copy(model)
    anchors = GenreAnchors(len(genres), model_config.embed_dim, train.anchor_temperature).to(dev)
    params = list(model.parameters()) + (list(anchors.parameters()) if train.anchor_weight > 0 else [])
    optimizer = loop.adamw(params, train)
    if state is not None and "anchors" in state:
        anchors.load_state_dict(state["anchors"])
    step, elapsed_before, history = loop.restore(state, model, ema, optimizer)

    minutes = sum(len(c.mel) for c in clips) / 30.0 / 60.0
    bar = ProgressBar(train.steps, step, train.log_every, stream)
    started = time.perf_counter()
    smoothed: float | None = state.get("loss") if state is not None else None
    stats: dict[str, float] = dict(state.get("stats", {})) if state is not None else {}
    metrics: dict[str, Any] = {}

    def save() -> None:
        nonlocal metrics
        elapsed = elapsed_before + time.perf_counter() - started
        ema.eval()
        prototypes = fit_prototypes(ema, clips, genres, dev)
        held_out = segments(calibration_clips, genres, ema.config.window) if calibration_clips else None
        if held_out is not None:
            music, _ = embed_segments(ema, held_out[0], held_out[1], dev)
            prototypes = prototypes.calibrated(music, torch.as_tensor(held_out[2]))
        metrics = {"test": evaluate(ema, test_clips, prototypes, dev)} if test_clips else {}
        metrics["temperature_fitted_on"] = calibration_split if held_out is not None else "train"
        save_checkpoint(out, loop.checkpoint_state(
            model, ema, optimizer, step, elapsed, model_config, train, genres=list(genres),
            anchors=anchors.state_dict(), rng=torch.get_rng_state(), history=history, loss=smoothed, stats=stats,
        ))  # fmt: skip
        card = _card(out, data, clips, test_clips, minutes, model, train, step, elapsed, smoothed, stats, metrics,
                     prototypes, preset_name, dev)  # fmt: skip
        save_gcrm(out, ema, prototypes, card)

    model.train()
    while step < train.steps:
        rng = np.random.default_rng([train.seed, step])
        length = int(rng.integers(train.min_len, train.max_len + 1))
        mel, positions, labels = sampler.sample(train.batch_size, length, rng)
        if train.mirror:
            flip = torch.as_tensor(rng.random(len(positions)) < 0.5)
            positions[flip] = mirror_positions(positions[flip])
        if train.recording_augment:
            mel = recording_augment(mel, rng)
        if train.spec_augment:
            mel = spec_augment(mel, rng)
        mel, positions, labels = mel.to(dev), positions.to(dev), labels.to(dev)
        loop.set_lr(optimizer, train.lr * _lr_factor(step, train))
        music_emb, dance_emb = model.embed_music(mel), model.embed_dance(positions)
        loss, stats = pairwise_genre_loss(music_emb, dance_emb, labels)
        if train.anchor_weight > 0:
            anchor_loss = 0.5 * (anchors(music_emb, labels) + anchors(dance_emb, labels))
            loss = loss + train.anchor_weight * anchor_loss
            stats["anchor"] = anchor_loss.item()
        if train.intra_weight > 0:
            intra_m, _ = pairwise_genre_loss(music_emb, music_emb, labels)
            intra_d, _ = pairwise_genre_loss(dance_emb, dance_emb, labels)
            loss = loss + train.intra_weight * 0.5 * (intra_m + intra_d)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if train.grad_clip:
            torch.nn.utils.clip_grad_norm_(model.parameters(), train.grad_clip)
        optimizer.step()
        loop.ema_update(ema, model, step, train.ema_decay, buffers=True)
        step += 1
        value = float(loss.item())
        smoothed = loop.smooth(smoothed, value)
        loop.log_point(history, step, train, smoothed, stats, 4)
        bar.update(step, value, " ".join(f"{k} {v:.3f}" for k, v in stats.items()))
        stop = loop.out_of_time(started, train)
        if loop.checkpoint_due(step, train, stop):
            save()
            model.train()
            if metrics.get("test"):
                t = metrics["test"]
                stream.write(f"\n  step {step}: test music->dance top-1 {t['music_to_dance_top1']:.3f}, "
                             f"dance->genre top-1 {t['dance_to_genre_top1']:.3f}, "
                             f"music->genre top-1 {t['music_to_genre_top1']:.3f}\n")  # fmt: skip
                stream.flush()
        if stop:
            stream.write(f"\nstopping at step {step}: --max-minutes {train.max_minutes} reached\n")
            break
    if step == 0 or (state is not None and step == int(state["step"])):
        save()
    elapsed = elapsed_before + time.perf_counter() - started
    return {"step": step, "loss": smoothed, "wall_time_s": elapsed, "data_minutes": minutes, "metrics": metrics,
            "out": str(out)}  # fmt: skip


def _has_split(data: str | PathLike, split: str) -> bool:
    path = Path(data) / "split.json"
    try:
        return bool(path.is_file() and json.loads(path.read_text()).get(split))
    except (OSError, json.JSONDecodeError, AttributeError):
        return False


def _card(out, data, clips, test_clips, minutes, model, train, step, elapsed, smoothed, stats, metrics, prototypes,
          preset_name, device) -> dict[str, Any]:  # fmt: skip
    previous = loop.previous_card(out)
    counts = {g: sum(c.genre == g for c in clips) for g in prototypes.names}
    # what the data folder's corpus.json says of how it was made (the extra folders: "extra_folders")
    corpus = {k: v for k, v in loop.describe_corpora([data])[0].items() if k != "folder"}
    return {
        "name": Path(out).name,
        "model": "GCRM: AST-style music-style encoder + AGCN-style dance-genre encoder (FineNet's ranking module)",
        "preset": preset_name,
        "parameters": {
            "music": sum(p.numel() for p in model.music.parameters()),
            "dance": sum(p.numel() for p in model.dance.parameters()),
        },
        "data": {
            "folder": str(data),
            "train_clips": len(clips),
            "test_clips": len(test_clips),
            "train_minutes": round(minutes, 2),
            "clips_per_genre": counts,
            "corpus": corpus,
            "extra_folders": loop.describe_corpora(train.extra_data),
        },
        "genres": {"names": list(prototypes.names), "temperature": prototypes.temperature},
        "training": {
            "steps": step,
            "batch_size": train.batch_size,
            "lr": train.lr,
            "segment_frames": [train.min_len, train.max_len],
            "ema_decay": train.ema_decay,
            "loss": "cosine loss y(1-s)+(1-y)max(0,s) over all pairs + anchor_weight x genre-anchor cross-entropy",
            "wall_time_s": round(elapsed, 1),
            "final_loss": None if smoothed is None else round(smoothed, 5),
            "final_s_match": round(stats["s_match"], 4) if "s_match" in stats else None,
            "final_s_mismatch": round(stats["s_mismatch"], 4) if "s_mismatch" in stats else None,
            "anchor_weight": train.anchor_weight, "intra_weight": train.intra_weight,
            "augmentation": {"mirror": train.mirror, "spec_augment": train.spec_augment,
                             "recording_augment": train.recording_augment},
            "device": str(device),
            "threads": torch.get_num_threads(),
            **loop.runtime(),
        },
        "metrics": {**previous.get("metrics", {}), **metrics},
        "license": "Apache-2.0",
    }


# -- command line -----------------------------------------------------------------------------------------


def run_cli(args: argparse.Namespace) -> int:
    """``studio train gcrm``: the same arguments as ``studio train fdgn`` (see studio.cli.train)."""
    model_config, preset_name = model_config_from(args.config, GCRMConfig.from_dict, preset, file="a GCRM config.json",
                                                  choices="tiny, small or a GCRM config.json path")  # fmt: skip
    train = replace(GCRMTrainConfig(), **train_changes(args), extra_data=tuple(getattr(args, "extra_data", None) or ()))
    if getattr(args, "threads", None):
        torch.set_num_threads(args.threads)
    summary = train_gcrm(args.data, args.out, model_config, train, resume=args.resume, device=args.device,
                         preset_name=preset_name, evaluate_test=not getattr(args, "no_eval", False))  # fmt: skip
    test = summary["metrics"].get("test", {})
    figures = (f"; test music->dance top-1 {test['music_to_dance_top1']:.3f}, dance->genre top-1 "
               f"{test['dance_to_genre_top1']:.3f}") if test else ""  # fmt: skip
    loss = summary["loss"]
    print(f"trained {summary['step']} steps in {summary['wall_time_s']:.0f} s on {summary['data_minutes']:.1f} min "
          f"of data; loss {loss if loss is None else round(loss, 4)}{figures}; wrote {summary['out']}")  # fmt: skip
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``studio train`` (for ``python -m studio.training.gcrm`` on its own)."""
    add_train_arguments(
        parser, data="FineDance-layout folder (motion/, music_wav/, label_json/)", out="models/my-gcrm",
        presets="tiny, small", ema_decay=0.995, evaluation="the retrieval figures on the test split",
        context_prob=False,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    from studio.core.errors import StudioError

    parser = argparse.ArgumentParser(prog="python -m studio.training.gcrm", description="train GCRM")
    add_arguments(parser)
    try:
        return run_cli(parser.parse_args(argv))
    except StudioError as error:
        print(f"train gcrm: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
