"""The strongest NumPy baselines a user would write, served to `npm run bench` over stdin/stdout so that
they run warm, side by side with the TypeScript kernels, interleaved, one task at a time.

Each is vectorised over paths (in cache-sized chunks), allocates its buffers once, and uses the closed
form where one exists:
  normals      Generator.standard_normal(out=buf) into a preallocated buffer
  em_m2        Euler-Maruyama for m = 2 on (V11, V12, V22): 3 normals per step, L S L^T written out,
               negative diagonals clipped (the usual repair)
  em_diag      Euler-Maruyama for the diagonal dX = beta X^2 dt + sqrt(2) X dB, explosion at a threshold
  chain        the covariance chain for m = 2 with the row sums written out (no einsum)
  em_mk        Euler-Maruyama for the m x m covariance SDE (m >= 3), ReLU-like drift: per path-chunk batched
               LAPACK Cholesky, S = (Z + Z^T) / sqrt(2) from m x m normals (the same law as the package's
               packed normals), L S L^T by two batched matmuls, the drift vectorised over whole matrices
               into preallocated buffers; a failed Cholesky repairs the chunk by eigh (counted)
  chain_mk     the covariance chain for m >= 3: batched Cholesky, G L^T and phi(Y)^T phi(Y) by batched matmul
  attention    the shaped-attention token chain (docs/maths.md, 14.2), batched over networks: logits'
               cross-Gram by Bartlett (chisquare + normals), batched Cholesky, softmax, branch rows
               N(0, A V A^T) by matmul
Protocol: one JSON object per line in ({"task": ..., params}), one per line out ({"seconds": s, ...}).
Not used by the package; run single-threaded (the bench sets OMP/OPENBLAS/MKL_NUM_THREADS=1).
"""
import json
import sys
import time

import numpy as np


def normals(count, seed=1):
    rng = np.random.default_rng(seed)
    buf = np.empty(min(count, 1 << 20))
    done = 0
    while done < count:
        k = min(buf.size, count - done)
        rng.standard_normal(out=buf[:k])
        done += k
    return {}


def em_m2(paths, steps, t1=1.0, c_plus=0.0, c_minus=-1.0, rho0=0.5, seed=1, chunk=8192, moments=False):
    rng = np.random.default_rng(seed)
    dt = t1 / steps
    sq = np.sqrt(dt)
    sq2 = np.sqrt(2.0) * sq
    kdt = (c_plus - c_minus) ** 2 / (2 * np.pi) * dt
    sums = np.zeros(3)
    squares = np.zeros(3)
    repaired = 0
    for start in range(0, paths, chunk):
        P = min(chunk, paths - start)
        a = np.ones(P)
        b = np.ones(P)
        c = np.full(P, rho0)
        g = np.empty((3, P))
        l11, l21, l22, sab, rho, d, t, u = (np.empty(P) for _ in range(8))
        hit = np.zeros(P, dtype=bool)
        with np.errstate(divide='ignore', invalid='ignore'):
            for _ in range(steps):
                rng.standard_normal(out=g)
                g0, g1, g2 = g
                g0 *= sq2
                g1 *= sq
                g2 *= sq2
                np.sqrt(a, out=l11)
                np.divide(c, l11, out=l21)
                np.multiply(l21, l21, out=t)
                np.subtract(b, t, out=t)
                np.maximum(t, 0.0, out=t)
                np.sqrt(t, out=l22)
                np.multiply(a, b, out=sab)
                np.sqrt(sab, out=sab)
                np.divide(c, sab, out=rho)
                np.nan_to_num(rho, copy=False)
                np.clip(rho, -1.0, 1.0, out=rho)
                np.arccos(rho, out=d)
                d *= rho
                np.multiply(rho, rho, out=t)
                np.subtract(1.0, t, out=t)
                np.sqrt(t, out=t)
                np.subtract(t, d, out=d)
                d *= sab
                d *= kdt
                np.multiply(l21, g0, out=t)
                np.multiply(l22, g1, out=u)
                t += u  # l21 s11 + l22 s12
                np.multiply(l11, t, out=u)
                c += u
                c += d
                np.multiply(l21, t, out=t)
                np.multiply(l21, g1, out=u)
                g2 *= l22
                u += g2
                u *= l22
                t += u
                b += t
                g0 *= a
                a += g0
                if moments:
                    hit |= (a < 0) | (b < 0)
                np.maximum(a, 0.0, out=a)
                np.maximum(b, 0.0, out=b)
        if moments:
            repaired += int(hit.sum())
            r = np.where(a * b > 0, c / np.sqrt(a * b), 0.0)
            for k, x in enumerate((r, c, a * a)):
                sums[k] += x.sum()
                squares[k] += (x * x).sum()
    if not moments:
        return {}
    mean = sums / paths
    se = np.sqrt(np.maximum(squares / paths - mean * mean, 0) / paths)
    return {'mean': mean.tolist(), 'se': se.tolist(), 'repaired': repaired / paths}


def em_diag(paths, steps, t1=1.0, beta=0.75, x0=1.0, threshold=1e12, seed=1, chunk=16384):
    rng = np.random.default_rng(seed)
    dt = t1 / steps
    sq2 = np.sqrt(2 * dt)
    exploded = 0
    for start in range(0, paths, chunk):
        P = min(chunk, paths - start)
        x = np.full(P, x0)
        g = np.empty(P)
        t = np.empty(P)
        alive = np.ones(P, dtype=bool)
        with np.errstate(over='ignore', invalid='ignore'):
            for _ in range(steps):
                rng.standard_normal(out=g)
                np.multiply(x, x, out=t)
                t *= beta * dt
                g *= sq2
                g *= x
                x += t
                x += g
                np.maximum(x, 0.0, out=x)
                alive &= x < threshold
                x[~alive] = 0.0
        exploded += int((~alive).sum())
    return {'p': exploded / paths}


def chain(samples, n, depth, c_plus=0.0, c_minus=-1.0, rho0=0.5, seed=1, chunk=64):
    rng = np.random.default_rng(seed)
    sp = 1 + c_plus / np.sqrt(n)
    sm = 1 + c_minus / np.sqrt(n)
    g = 2 / (sp * sp + sm * sm) / n
    for s0 in range(0, samples, chunk):
        S = min(chunk, samples - s0)
        a = np.ones(S)
        b = np.ones(S)
        c = np.full(S, rho0)
        G = np.empty((2, S, n))
        y1 = np.empty((S, n))
        y2 = np.empty((S, n))
        t = np.empty((S, n))
        for _ in range(depth):
            l11 = np.sqrt(a)
            l21 = c / l11
            l22 = np.sqrt(np.maximum(b - l21 * l21, 0))
            rng.standard_normal(out=G)
            np.multiply(G[0], l11[:, None], out=y1)
            np.multiply(G[0], l21[:, None], out=y2)
            np.multiply(G[1], l22[:, None], out=t)
            y2 += t
            # phi(y) = s+ y for y > 0, s- y otherwise, written as y (s- + (s+ - s-) [y > 0]).
            np.greater(y1, 0, out=t)
            t *= sp - sm
            t += sm
            y1 *= t
            np.greater(y2, 0, out=t)
            t *= sp - sm
            t += sm
            y2 *= t
            # Row sums written out: V11 = g sum y1^2, V12 = g sum y1 y2, V22 = g sum y2^2.
            np.multiply(y1, y2, out=t)
            c = g * t.sum(axis=1)
            np.multiply(y1, y1, out=t)
            a = g * t.sum(axis=1)
            np.multiply(y2, y2, out=t)
            b = g * t.sum(axis=1)
    return {}


def em_mk(paths, steps, m, t1=0.02, c_plus=0.0, c_minus=-1.0, rho0=0.3, seed=1, chunk=64):
    rng = np.random.default_rng(seed)
    dt = t1 / steps
    noise_scale = np.sqrt(dt) / np.sqrt(2.0)
    kdt = (c_plus - c_minus) ** 2 / (2 * np.pi) * dt
    v0 = np.full((m, m), rho0)
    np.fill_diagonal(v0, 1.0)
    idx = np.arange(m)
    repaired = 0
    for start in range(0, paths, chunk):
        P = min(chunk, paths - start)
        V = np.empty((P, m, m))
        V[:] = v0
        Z, S, M, N, D, R, T = (np.empty((P, m, m)) for _ in range(7))
        d = np.empty((P, m))
        with np.errstate(invalid='ignore', divide='ignore'):
            for _ in range(steps):
                try:
                    L = np.linalg.cholesky(V)
                except np.linalg.LinAlgError:
                    w, q = np.linalg.eigh(V)
                    repaired += int((w < 0).any(axis=1).sum())
                    np.maximum(w, 0, out=w)
                    L = q * np.sqrt(w)[:, None, :]
                    V = np.matmul(L, L.transpose(0, 2, 1))
                rng.standard_normal(out=Z)
                np.add(Z, Z.transpose(0, 2, 1), out=S)
                S *= noise_scale
                np.matmul(L, S, out=M)
                np.matmul(M, L.transpose(0, 2, 1), out=N)
                # b = k (sqrt(1 - rho^2) - rho acos rho) sqrt(V^aa V^bb) off the diagonal, 0 on it (beta = 0).
                np.sqrt(V[:, idx, idx], out=d)
                np.multiply(d[:, :, None], d[:, None, :], out=D)
                np.divide(V, D, out=R)
                np.clip(R, -1.0, 1.0, out=R)
                np.arccos(R, out=T)
                T *= R
                np.multiply(R, R, out=R)
                np.subtract(1.0, R, out=R)
                np.sqrt(R, out=R)
                R -= T
                R *= D
                R[:, idx, idx] = 0.0
                R *= kdt
                V += R
                V += N
    return {'repaired': repaired}


def chain_mk(samples, n, m, depth, c_plus=0.0, c_minus=-1.0, rho0=0.3, seed=1, chunk=16):
    rng = np.random.default_rng(seed)
    sp = 1 + c_plus / np.sqrt(n)
    sm = 1 + c_minus / np.sqrt(n)
    g = 2 / (sp * sp + sm * sm) / n
    v0 = np.full((m, m), rho0)
    np.fill_diagonal(v0, 1.0)
    for s0 in range(0, samples, chunk):
        S = min(chunk, samples - s0)
        V = np.empty((S, m, m))
        V[:] = v0
        G = np.empty((S, n, m))
        Y = np.empty((S, n, m))
        T = np.empty((S, n, m))
        for _ in range(depth):
            L = np.linalg.cholesky(V)
            rng.standard_normal(out=G)
            np.matmul(G, L.transpose(0, 2, 1), out=Y)
            # phi(y) = s- y + (s+ - s-) max(y, 0)
            np.maximum(Y, 0.0, out=T)
            T *= sp - sm
            Y *= sm
            Y += T
            np.matmul(Y.transpose(0, 2, 1), Y, out=V)
            V *= g
    return {}


def attention(samples, n, depth, m=4, gamma=0.7, tau0=2.0, rho0=0.3, threshold=1e4, seed=1, chunk=64):
    rng = np.random.default_rng(seed)
    lam = np.sqrt(1 - gamma * gamma)
    nk = n
    scale = 1 / (tau0 * np.sqrt(n * nk))
    v0 = np.full((m, m), rho0) + (1 - rho0) * np.eye(m)
    eye = np.eye(m)
    dof = nk - np.arange(m)
    lower = np.tril_indices(m, -1)
    for s0 in range(0, samples, chunk):
        S = min(chunk, samples - s0)
        # Input tokens with Gram exactly V0: orthonormal frames (QR) times L0^T.
        q, _ = np.linalg.qr(rng.standard_normal((S, n, m)))
        z = np.sqrt(n) * q @ np.linalg.cholesky(v0).T
        G = np.empty((S, n, m))
        alive = np.ones(S, dtype=bool)
        for _ in range(depth):
            v = np.matmul(z.transpose(0, 2, 1), z) / n
            # A network stops (frozen) once max_a V^aa crosses the threshold, as in the package's skeleton.
            alive &= np.isfinite(v).all(axis=(1, 2)) & (v[:, np.arange(m), np.arange(m)].max(axis=1) <= threshold)
            v[~alive] = eye
            L = np.linalg.cholesky(v)
            T = np.zeros((S, m, m))
            T[:, np.arange(m), np.arange(m)] = np.sqrt(rng.chisquare(dof, size=(S, m)))
            T[:, lower[0], lower[1]] = rng.standard_normal((S, len(lower[0])))
            P = T @ rng.standard_normal((S, m, m))
            logits = L @ P @ L.transpose(0, 2, 1) * scale
            e = np.exp(logits - logits.max(axis=2, keepdims=True))
            A = eye + e / e.sum(axis=2, keepdims=True) - 1.0 / m
            M = A @ v @ A.transpose(0, 2, 1)
            LM = np.linalg.cholesky(M)
            rng.standard_normal(out=G)
            z = np.where(alive[:, None, None], lam * z + gamma * (G @ LM.transpose(0, 2, 1)), z)
    return {}


TASKS = {'normals': normals, 'em_m2': em_m2, 'em_diag': em_diag, 'chain': chain, 'attention': attention, 'em_mk': em_mk, 'chain_mk': chain_mk}


def main():
    print(json.dumps({'numpy': np.__version__, 'python': sys.version.split()[0]}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        task = TASKS[request.pop('task')]
        t0 = time.perf_counter()
        c0 = time.process_time()
        result = task(**request)
        result['seconds'] = time.perf_counter() - t0
        # CPU seconds of this process: on a machine shared with other work, the fairer clock for a ratio.
        result['cpu'] = time.process_time() - c0
        print(json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
