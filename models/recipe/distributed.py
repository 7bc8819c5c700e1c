"""Data-parallel training under torchrun (`torchrun --nproc_per_node=N train.py ...`): one process per GPU (or per
CPU share, with the gloo backend), each drawing its own windows; gradients are averaged across processes after every
backward pass, so every process holds the same weights and the config's batch stays the global batch. Process 0
alone writes checkpoints and logs, and goes on to judge, export and evaluate once training ends. Without torchrun
(WORLD_SIZE unset) everything here is a no-op and training runs in one process as before."""
import os

import torch
import torch.distributed as dist

RANK = int(os.environ.get("RANK", "0"))
WORLD = int(os.environ.get("WORLD_SIZE", "1"))
LOCAL_RANK = int(os.environ.get("LOCAL_RANK", "0"))


def start(device: torch.device) -> None:
    """Joins the process group torchrun set up (NCCL on CUDA, gloo on the CPU)."""
    if WORLD > 1 and not dist.is_initialized():
        if device.type == "cuda":
            torch.cuda.set_device(device)  # NCCL's collectives (the barrier too) use the current device
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")


def finish() -> None:
    if WORLD > 1 and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def is_main() -> bool:
    return RANK == 0


def share_weights(*nets) -> None:
    """Every process starts from process 0's weights (and buffers: the input standardisation)."""
    if WORLD > 1:
        for net in nets:
            for t in list(net.parameters()) + list(net.buffers()):
                dist.broadcast(t.data, 0)


def average_gradients(params) -> None:
    """One all-reduce over all gradients, flattened into a single buffer."""
    if WORLD == 1:
        return
    grads = [p.grad for p in params if p.grad is not None]
    flat = torch.cat([g.reshape(-1) for g in grads])
    dist.all_reduce(flat)
    flat /= WORLD
    o = 0
    for g in grads:
        g.copy_(flat[o:o + g.numel()].view_as(g))
        o += g.numel()


def agreed_elapsed(seconds: float, device: torch.device) -> float:
    """The longest elapsed time of all processes: the learning-rate schedule and the time limit follow one clock, so
    the processes never disagree on a step's learning rate or on whether to take another step."""
    if WORLD == 1:
        return seconds
    t = torch.tensor([seconds], dtype=torch.float64, device=device)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return float(t.item())


def check_same_weights(net) -> None:
    """Raises when the processes ended with different weights (a gradient that was not averaged, a step one took alone)."""
    if WORLD == 1:
        return
    with torch.no_grad():
        total = torch.stack([p.double().sum() for p in net.parameters()]).sum().reshape(1)
    lo, hi = total.clone(), total.clone()
    dist.all_reduce(lo, op=dist.ReduceOp.MIN)
    dist.all_reduce(hi, op=dist.ReduceOp.MAX)
    if not torch.equal(lo, hi):
        raise RuntimeError(f"data-parallel processes ended with different weights (checksums {lo.item()} … {hi.item()})")
