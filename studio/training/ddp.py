"""Single process or ``torchrun``: distributed set-up when ``WORLD_SIZE`` is in the environment.

``torchrun --nproc_per_node=N -m studio train fdgn ...`` sets ``WORLD_SIZE``, ``RANK``, ``LOCAL_RANK`` and the
rendezvous variables; we then join the process group (NCCL on GPUs, Gloo on CPUs), give each process its GPU
(``cuda:LOCAL_RANK``), wrap the model in ``DistributedDataParallel`` and shard the data with a
``DistributedSampler``. Only rank 0 prints, writes checkpoints and the model folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class DistInfo:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    device: torch.device = field(default_factory=lambda: torch.device("cpu"))

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return dist.is_available() and dist.is_initialized()


def setup(device: str | None = None) -> DistInfo:
    """Join the process group when launched by torchrun (``WORLD_SIZE`` set); pick the device."""
    cuda = torch.cuda.is_available() and device != "cpu"
    if "WORLD_SIZE" not in os.environ:
        dev = torch.device(device) if device else torch.device("cuda" if cuda else "cpu")
        return DistInfo(device=dev)
    world = int(os.environ["WORLD_SIZE"])
    rank = int(os.environ.get("RANK", "0"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    if not dist.is_initialized():
        os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
        os.environ.setdefault("MASTER_PORT", "29500")
        dist.init_process_group(backend="nccl" if cuda else "gloo", rank=rank, world_size=world)
    if cuda:
        torch.cuda.set_device(local)
        dev = torch.device("cuda", local)
    else:
        dev = torch.device("cpu")
    return DistInfo(rank, world, local, dev)


def wrap(model: torch.nn.Module, info: DistInfo) -> torch.nn.Module:
    if not info.distributed:
        return model
    from torch.nn.parallel import DistributedDataParallel

    ids = [info.device.index] if info.device.type == "cuda" else None
    # every parameter takes part in every training step (the null embeddings through torch.where with `keep`)
    return DistributedDataParallel(model, device_ids=ids)


def unwrap(model: torch.nn.Module) -> torch.nn.Module:
    return model.module if hasattr(model, "module") else model


def all_mean(value: float, info: DistInfo) -> float:
    if not info.distributed:
        return value
    t = torch.tensor([value], dtype=torch.float64, device=info.device)
    dist.all_reduce(t)
    return float(t.item()) / info.world_size


def barrier(info: DistInfo) -> None:
    if info.distributed:
        dist.barrier()


def cleanup(info: DistInfo) -> None:
    if info.distributed:
        dist.destroy_process_group()
