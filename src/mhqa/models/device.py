"""Pick the device and the compute dtype for training and inference.

CPU: weights stay fp32; bf16 autocast is used when the CPU has native bf16 instructions
(AVX-512 BF16 or AMX), where it is ~2x faster than fp32 matmul. fp16 on CPU is very slow and
never chosen. CUDA: bf16 where supported, else fp16 with loss scaling. MPS: fp32. A recipe's `fp16` means
`fp16 on CUDA`: elsewhere it falls back to the device's best dtype.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from mhqa.errors import ConfigError


@dataclass(frozen=True)
class DeviceChoice:
    device: str  # 'cpu', 'cuda', 'cuda:1', 'mps'
    dtype: str  # compute dtype: 'bf16', 'fp16' or 'fp32'

    @property
    def is_cpu(self) -> bool:
        return self.device == "cpu"

    @property
    def bf16(self) -> bool:
        return self.dtype == "bf16"

    @property
    def fp16(self) -> bool:
        return self.dtype == "fp16"

    def torch_dtype(self):
        import torch

        return {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[self.dtype]


@functools.cache
def physical_cores() -> int:
    """Physical cores this process may run on (SMT siblings count once); at least 1.

    Compute-bound kernels (llama.cpp, BLAS) gain nothing from a core's second hardware thread,
    and half the logical CPUs (llama-cpp-python's default) wastes a core where there is no SMT.
    """
    import os

    try:
        cpus = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return max(os.cpu_count() or 1, 1)
    cores = set()
    for cpu in cpus:
        try:
            cores.add(Path(f"/sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list").read_text().strip())
        except OSError:
            cores.add(str(cpu))  # no topology (containers, non-Linux): count logical CPUs
    return max(len(cores), 1)


def threads_from_env(var: str, default: int) -> int:
    """A positive thread count from environment variable ``var``, else ``default``.

    Raises:
        ConfigError: the variable is set to anything but a positive integer.
    """
    import os

    raw = os.environ.get(var, "").strip()
    if raw and not (raw.isdigit() and int(raw) > 0):
        raise ConfigError(f"{var} must be a positive integer, got {raw!r}")
    return int(raw) if raw else default


@functools.cache
def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags as Linux lists them in /proc/cpuinfo ("avx2", "avx512_vnni", "bf16", ...); empty
    where there is no such file (macOS, Windows)."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return frozenset()
    return frozenset(word for line in text.splitlines() if line.startswith(("flags", "Features"))
                     for word in line.partition(":")[2].split())


def cpu_has_native_bf16() -> bool:
    """True when the CPU executes bf16 math natively (x86 AVX-512 BF16 / AMX, Arm BF16)."""
    return bool(cpu_flags() & {"avx512_bf16", "amx_bf16", "bf16"})


def choose_device(device: str = "auto", dtype: str = "auto") -> DeviceChoice:
    """Resolve 'auto' settings to a concrete device and compute dtype.

    >>> choose_device("cpu", "fp32")
    DeviceChoice(device='cpu', dtype='fp32')
    """
    import torch

    if device == "auto":
        if torch.cuda.is_available():
            device = "cuda"
        elif getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            device = "mps"
        else:
            device = "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ConfigError("model.device is 'cuda' but no CUDA GPU is visible; set `device: auto` or `cpu`")
    if dtype == "auto":
        if device.startswith("cuda"):
            dtype = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
        elif device == "cpu":
            dtype = "bf16" if cpu_has_native_bf16() else "fp32"
        else:
            dtype = "fp32"
    if device in ("cpu", "mps") and dtype == "fp16":
        # recipes written for GPUs say fp16; on a CPU that is very slow, so use the CPU's best
        dtype = "bf16" if device == "cpu" and cpu_has_native_bf16() else "fp32"
    return DeviceChoice(device=device, dtype=dtype)
