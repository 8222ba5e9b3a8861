"""Target triples as npm sees a platform: `os`, `cpu` and `libc` fields, and the package
name suffix napi-rs made the convention (`linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc`)."""

from __future__ import annotations

from dataclasses import dataclass

from release.base.errors import ReleaseError

# The triple's architecture -> process.arch.
_CPU = {
    "x86_64": "x64",
    "aarch64": "arm64",
    "i686": "ia32",
    "i586": "ia32",
    "armv7": "arm",
    "arm": "arm",
    "riscv64gc": "riscv64",
    "riscv64": "riscv64",
    "powerpc64le": "ppc64",
    "s390x": "s390x",
    "loongarch64": "loong64",
}
# Words of the triple's system -> process.platform.
_OS = {
    "linux": "linux",
    "darwin": "darwin",
    "windows": "win32",
    "freebsd": "freebsd",
    "netbsd": "netbsd",
    "openbsd": "openbsd",
    "android": "android",
    "illumos": "sunos",
    "solaris": "sunos",
}


@dataclass(frozen=True)
class Platform:
    triple: str
    os: str
    cpu: str
    libc: str | None  # "glibc" or "musl" on Linux; npm matches it against the host's
    abi: str | None  # "gnu", "musl", "msvc", ...: the name's last part where it matters

    @property
    def suffix(self) -> str:
        return "-".join(part for part in (self.os, self.cpu, self.abi) if part)

    @property
    def exe(self) -> str:
        return ".exe" if self.os == "win32" else ""


def platform(triple: str) -> Platform:
    parts = triple.split("-")
    arch = parts[0]
    cpu = _CPU.get(arch) or (_CPU["armv7"] if arch.startswith("armv7") else None)
    system = next((_OS[word] for word in parts[1:] if word in _OS), None)
    if "apple" in parts and system is None:
        system = "darwin"
    if cpu is None or system is None:
        raise ReleaseError(
            f"the target {triple!r} has no npm platform (os/cpu) known to release-toolkit",
            hint="leave it out of [build] targets for npm, or open an issue with the triple",
        )
    env = parts[-1] if len(parts) >= 4 else None
    abi = libc = None
    if system == "linux":
        abi = "musl" if env and env.startswith("musl") else "gnu"
        if env and env.endswith(("eabihf", "eabi")):
            abi += env.removeprefix("musl").removeprefix("gnu")  # gnueabihf
        libc = "musl" if abi.startswith("musl") else "glibc"
    elif system == "win32":
        abi = env or "msvc"
    return Platform(triple, system, cpu, libc, abi)
