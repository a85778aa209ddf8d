"""Vectorised NumPy versions of the SDE solver (m = 2) and the covariance chain (n = 400, m = 2),
batched over paths, for the speed comparison in `npm run bench` notes. Not used by the package.
Run single-threaded: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 python3 bench/numpy_reference.py
"""
import time
import numpy as np


def sde_m2(paths=100_000, steps=100, t1=1.0, c_plus=0.0, c_minus=-1.0, rho0=0.5, seed=1):
    rng = np.random.default_rng(seed)
    dt = t1 / steps
    sq = np.sqrt(dt)
    k = (c_plus - c_minus) ** 2 / (2 * np.pi)
    a = np.ones(paths); b = np.ones(paths); c = np.full(paths, rho0)  # V = [[a, c], [c, b]]
    for _ in range(steps):
        l11 = np.sqrt(a); l21 = c / l11; l22 = np.sqrt(np.maximum(b - l21 * l21, 0.0))
        scale = np.sqrt(a * b)
        rho = np.clip(c / scale, -1.0, 1.0)
        drift = k * (np.sqrt(1 - rho * rho) - rho * np.arccos(rho)) * scale
        g = rng.standard_normal((4, paths))
        s11 = np.sqrt(2) * g[0]; s22 = np.sqrt(2) * g[3]; s12 = (g[1] + g[2]) / np.sqrt(2)
        # N = L S L^T for L = [[l11, 0], [l21, l22]]
        n11 = l11 * l11 * s11
        n12 = l11 * (l21 * s11 + l22 * s12)
        n22 = l21 * l21 * s11 + 2 * l21 * l22 * s12 + l22 * l22 * s22
        a = a + n11 * sq
        c = c + drift * dt + n12 * sq
        b = b + n22 * sq
        a = np.maximum(a, 0.0); b = np.maximum(b, 0.0)
    return a, b, c


def chain(samples=2000, n=400, depth=400, c_plus=0.0, c_minus=-1.0, rho0=0.5, seed=1):
    rng = np.random.default_rng(seed)
    sp = 1 + c_plus / np.sqrt(n); sm = 1 + c_minus / np.sqrt(n)
    cgain = 2 / (sp * sp + sm * sm)
    v = np.tile(np.array([[1.0, rho0], [rho0, 1.0]]), (samples, 1, 1))
    for _ in range(depth):
        l = np.linalg.cholesky(v)
        g = rng.standard_normal((samples, n, 2))
        y = np.einsum('snk,sak->sna', g, l)
        y = np.where(y > 0, sp * y, sm * y)
        v = (cgain / n) * np.einsum('sna,snb->sab', y, y)
    return v


def normals(count=50_000_000, seed=1):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(count)


def timed(label, unit, amount, fn):
    fn_small = fn
    t0 = time.perf_counter(); fn_small(); t = time.perf_counter() - t0
    print(f'numpy {label}: {amount / t:.3e} {unit} ({t:.2f} s)')


if __name__ == '__main__':
    print('numpy', np.__version__)
    timed('gaussian generator', 'normals/s', 50_000_000, lambda: normals())
    timed('SDE m=2, 1e5 paths x 100 steps', 'path-steps/s', 100_000 * 100, lambda: sde_m2())
    timed('chain n=400 m=2, 200 samples x 400 layers', 'layer-samples/s', 200 * 400, lambda: chain(samples=200))
