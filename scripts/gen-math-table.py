#!/usr/bin/env python3
"""High-precision table for the deterministic maths (src/math), generated once and committed.

    python3 scripts/gen-math-table.py                      # writes test/fixtures/math-table.txt
    python3 scripts/gen-math-table.py --check FILE.bin     # max ulp error of results written by
                                                           # bench/math-accuracy.ts (random arguments)
    python3 scripts/gen-math-table.py --constants          # the 2/pi and pi/2 integers of src/math/reduce.ts

Each table line is `name x [y] result` with every double as 16 hex digits of its IEEE bits; `result` is the
correctly rounded (nearest, ties to even, subnormals and overflow included) value of the function at the
exact double arguments, computed by mpmath with 256 bits (mpmath raises its working precision itself for
the argument reduction of large sin/cos arguments). Arguments: fixed-seed random draws in each region that
matters (near 0, near 1, the overflow and underflow thresholds, subnormals, near multiples of pi/2, large
trig arguments, tanh near 0 and at saturation) plus hand-picked edges. mpmath 1.3.0.
"""
import math
import random
import struct
import sys

import mpmath

mpmath.mp.prec = 256
MP = mpmath.mpf
TWO = MP(2)
MAX = sys.float_info.max


def bits(x: float) -> str:
    return struct.pack('>d', x).hex()


def from_bits(h: str) -> float:
    return struct.unpack('>d', bytes.fromhex(h))[0]


def next_up(x: float, k: int = 1) -> float:
    """x moved k ulps (k may be negative), through zero and the subnormals."""
    i = struct.unpack('>q', struct.pack('>d', x))[0]
    if i < 0:
        i = -(i & 0x7FFFFFFFFFFFFFFF)
    i += k
    if i < 0:
        i = (-i) | (1 << 63)
        return struct.unpack('>d', struct.pack('>Q', i))[0]
    return struct.unpack('>d', struct.pack('>q', i))[0]


def rounded(v) -> float:
    """The double nearest the mpf v (ties to even), +-inf beyond the overflow threshold, +-0 below 2^-1075."""
    if mpmath.isnan(v):
        return math.nan
    if mpmath.isinf(v):
        return math.inf if v > 0 else -math.inf
    if v == 0:
        return 0.0
    sign = -1.0 if v < 0 else 1.0
    a = abs(v)
    _, e = mpmath.frexp(a)  # a = m 2^e, m in [1/2, 1)
    q = max(int(e) - 53, -1074)  # the ulp exponent
    scaled = mpmath.ldexp(a, -q)
    n = int(mpmath.floor(scaled))
    rest = scaled - n
    if rest > 0.5 or (rest == 0.5 and n % 2 == 1):
        n += 1
    if n == 2**53:  # the rounding carried into the next binade
        n, q = 2**52, q + 1
    if q > 1023 - 52:  # 2^1024 or beyond
        return sign * math.inf
    r = math.ldexp(n, q)  # exact
    return sign * r


FUNCTIONS = {
    'exp': lambda x: mpmath.exp(MP(x)),
    'expm1': lambda x: mpmath.expm1(MP(x)),
    'log': lambda x: mpmath.log(MP(x)),
    'log1p': lambda x: mpmath.log1p(MP(x)),
    'acos': lambda x: mpmath.acos(MP(x)),
    'sin': lambda x: mpmath.sin(MP(x)),
    'cos': lambda x: mpmath.cos(MP(x)),
    'tanh': lambda x: mpmath.tanh(MP(x)),
    'atanh': lambda x: mpmath.atanh(MP(x)),
    'pow': lambda x, y: mpmath.power(MP(x), MP(y)),
    'hypot': lambda x, y: mpmath.sqrt(MP(x) ** 2 + MP(y) ** 2),
}


def loguniform(rng, lo_exp, hi_exp, signed=False):
    v = 10.0 ** rng.uniform(lo_exp, hi_exp)
    return -v if signed and rng.random() < 0.5 else v


def random_double(rng, lo_biased=0, hi_biased=2046, sign=None):
    """A double with random mantissa bits and a biased exponent in [lo, hi] (0 gives subnormals)."""
    e = rng.randint(lo_biased, hi_biased)
    m = rng.getrandbits(52)
    s = (rng.random() < 0.5) if sign is None else sign
    return struct.unpack('>d', struct.pack('>Q', (int(s) << 63) | (e << 52) | m))[0]


def around(x, k=3):
    return [next_up(x, d) for d in range(-k, k + 1)]


def arguments(rng):
    """name -> list of argument tuples."""
    a = {}
    ln2 = math.log(2)
    # exp: overflow at 709.782712893384, underflow to 0 below -745.1332191019411, subnormal below -708.4
    xs = [rng.uniform(-745.2, 709.8) for _ in range(700)]
    xs += [loguniform(rng, -20, 0, True) for _ in range(400)]
    xs += [rng.uniform(-745.2, -708.3) for _ in range(300)]
    xs += [rng.uniform(-2, 2) for _ in range(300)]
    xs += [random_double(rng, 0, 1023 + 9) for _ in range(300)]
    xs += around(709.782712893384, 20) + around(-745.1332191019411, 20) + around(-708.3964185322641, 10)
    xs += [k * ln2 for k in range(-1074, 1024, 23)] + [next_up(k * ln2, s) for k in range(-60, 60, 7) for s in (-1, 1)]
    xs += around(0.5 * ln2, 5) + around(1.5 * ln2, 5) + around(2.0**-28, 3) + around(-(2.0**-28), 3)
    xs += [0.0, -0.0, 1.0, -1.0, 5e-324, -5e-324, 1e-300, MAX, -MAX]
    a['exp'] = [(x,) for x in xs]
    # expm1: exact near 0, -1 below -56 ln2
    xs = [loguniform(rng, -20, 0.5, True) for _ in range(900)]
    xs += [rng.uniform(-40, 40) for _ in range(500)]
    xs += [rng.uniform(-1, 1) for _ in range(400)]
    xs += [rng.uniform(0, 709.78) for _ in range(200)]
    xs += [random_double(rng, 0, 1023 - 30) for _ in range(150)]
    xs += around(709.782712893384, 10) + around(56 * ln2, 5) + around(-56 * ln2, 5) + around(0.5 * ln2, 5) + around(-0.5 * ln2, 5)
    xs += around(1.5 * ln2, 5) + around(-1.5 * ln2, 5) + around(20 * ln2, 3) + around(-0.25, 3) + around(2.0**-54, 3)
    xs += [0.0, -0.0, 5e-324, -5e-324, 1e-310, MAX, -MAX, -745.0]
    a['expm1'] = [(x,) for x in xs]
    # log: every exponent, subnormals, near 1, the sqrt(2) normalisation edge
    xs = [random_double(rng, 0, 2046, False) for _ in range(900)]
    xs += [1 + loguniform(rng, -16, -0.5, True) for _ in range(700)]
    xs += [rng.uniform(0.5, 2) for _ in range(300)]
    xs += [random_double(rng, 0, 0, False) for _ in range(100)]
    xs += [rng.uniform(1e-3, 1e3) for _ in range(200)]
    xs += around(1.0, 40) + around(math.sqrt(2), 5) + around(math.sqrt(0.5), 5) + around(2.0**-1022, 3)
    xs += [2.0**k for k in range(-1074, 1024, 7)] + [5e-324, MAX, math.e, 10.0]
    a['log'] = [(x,) for x in xs if x > 0]
    # log1p: near 0, near -1, boundaries of the direct range (-0.2929, 0.41422), huge
    xs = [loguniform(rng, -20, 0, True) for _ in range(800)]
    xs += [-1 + loguniform(rng, -16, 0) for _ in range(300)]
    xs += [rng.uniform(-0.99, 3) for _ in range(500)]
    xs += [random_double(rng, 1023, 2046, False) for _ in range(300)]
    xs += [random_double(rng, 0, 1023 - 20) for _ in range(200)]
    xs += around(-0.29289321881345254, 5) + around(0.41421356237309503, 5) + around(-1.0, 0)[0:1] + [next_up(-1.0, 1), next_up(-1.0, 2)]
    xs += around(2.0**-29, 3) + around(-(2.0**-29), 3) + around(2.0**-54, 3) + around(2.0**53, 3) + around(2.0**54, 3)
    xs += [0.0, -0.0, 5e-324, -5e-324, MAX, 1.0, math.e - 1]
    a['log1p'] = [(x,) for x in xs if x >= -1]
    # acos: uniform, near +-1, near 0, near +-0.5
    xs = [rng.uniform(-1, 1) for _ in range(900)]
    xs += [s * (1 - loguniform(rng, -16, -0.3)) for s in (1, -1) for _ in range(350)]
    xs += [loguniform(rng, -20, -0.3, True) for _ in range(400)]
    xs += around(0.5, 10) + around(-0.5, 10) + around(1.0, 0) + [next_up(1.0, -k) for k in range(1, 20)] + [next_up(-1.0, -k) for k in range(0, 20)]
    xs += around(2.0**-57, 3) + [0.0, -0.0, 5e-324, 1.0, -1.0]
    a['acos'] = [(x,) for x in xs if -1 <= x <= 1]
    # sin, cos: small, medium (Cody-Waite), near multiples of pi/2, large (exact reduction), the worst case
    xs = [rng.uniform(-10, 10) for _ in range(500)]
    xs += [loguniform(rng, -20, 0, True) for _ in range(200)]
    xs += [rng.uniform(-1e6, 1e6) for _ in range(300)]
    xs += [s * 10.0 ** rng.uniform(6, 308) for s in (1, -1) for _ in range(200)]
    xs += [random_double(rng, 1023 + 19, 2046) for _ in range(200)]
    for k in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 31, 32, 33, 100, 1000, 12345, 411774, 823549, 1 << 20, 1 << 30, 1 << 40]:
        xs += around(k * math.pi / 2, 2) + around(-k * math.pi / 2, 1)
    xs += [float(mpmath.nint(MP(k) * mpmath.pi / 2 * 2**20)) / 2**20 for k in rng.sample(range(1, 1 << 19), 100)]
    xs += around(math.pi / 4, 3) + around(3 * math.pi / 4, 3) + around(2.0**19 * math.pi / 2, 3) + around(2.0**-27, 2)
    xs += [6381956970095103.0 * 2.0**797, -6381956970095103.0 * 2.0**797, 5.319372648326541e255, 2.0**1023, MAX, -MAX, 1e22, 0.0, -0.0, 5e-324]
    a['sin'] = [(x,) for x in xs]
    a['cos'] = [(x,) for x in xs]
    # tanh: near 0, the expm1 forms either side of 1, saturation near 22 and the last non-1 values (~19.06)
    xs = [loguniform(rng, -20, 0, True) for _ in range(800)]
    xs += [rng.uniform(-1, 1) for _ in range(400)]
    xs += [rng.uniform(-23, 23) for _ in range(400)]
    xs += [rng.uniform(17, 23) for _ in range(200)]
    xs += [random_double(rng, 0, 2046) for _ in range(200)]
    xs += around(1.0, 5) + around(-1.0, 5) + around(22.0, 3) + around(19.061547465398498, 5) + around(2.0**-55, 3) + around(-(2.0**-55), 3)
    xs += [0.0, -0.0, 5e-324, MAX, -MAX, 0.5, 0.55]
    a['tanh'] = [(x,) for x in xs]
    # atanh: near 0, near +-1, the 0.5 switch
    xs = [rng.uniform(-1, 1) for _ in range(800)]
    xs += [loguniform(rng, -20, 0, True) for _ in range(500)]
    xs += [s * (1 - loguniform(rng, -16, -0.3)) for s in (1, -1) for _ in range(300)]
    xs += around(0.5, 5) + around(-0.5, 5) + [next_up(1.0, -k) for k in range(1, 10)] + around(2.0**-28, 3)
    xs += [0.0, -0.0, 5e-324, 0.999]
    a['atanh'] = [(x,) for x in xs if -1 < x < 1]
    # pow: the kernels' uses (positive bases, moderate exponents), integers, near 1 with huge exponents,
    # negative bases with integer exponents, overflow and underflow edges, subnormal results
    ps = [(rng.uniform(0, 10), rng.uniform(-10, 10)) for _ in range(700)]
    ps += [(loguniform(rng, -300, 300), rng.uniform(-1, 1)) for _ in range(300)]
    ps += [(float(rng.randint(2, 99)), float(rng.randint(-20, 20))) for _ in range(200)]
    ps += [(1 + loguniform(rng, -15, -6, True), s * 10.0 ** rng.uniform(6, 14)) for s in (1, -1) for _ in range(150)]
    ps += [(-rng.uniform(0.1, 10), float(rng.randint(-50, 50))) for _ in range(200)]
    ps += [(rng.uniform(0.5, 2), rng.uniform(-2000, 2000)) for _ in range(300)]
    ps += [(random_double(rng, 0, 2046, False), rng.uniform(-1.2, 1.2)) for _ in range(200)]
    for x in (2.0, 0.5, 10.0, math.e, 1.5):
        lx = math.log2(x)
        ps += [(x, next_up(1024 / lx, d)) for d in range(-3, 4)] + [(x, next_up(-1074 / lx, d)) for d in range(-3, 4)]
        ps += [(x, next_up(-1022 / lx, d)) for d in range(-3, 4)]
    ps += [(2.0, 0.5), (2.0, 10.0), (3.0, 3.0), (10.0, 15.0), (0.0, 2.5), (-0.0, 3.0), (-2.0, 3.0), (-2.0, 2.0 ** 31 + 1), (1.0000001, 2.0 ** 40)]
    a['pow'] = [p for p in ps if not (p[0] < 0 and p[1] != int(p[1]))]
    # hypot: ratios near 1 and far apart, huge and tiny scales
    ps = [(rng.uniform(-10, 10), rng.uniform(-10, 10)) for _ in range(800)]
    ps += [(loguniform(rng, -300, 300, True), loguniform(rng, -300, 300, True)) for _ in range(500)]
    ps += [(x, x * rng.uniform(0.5, 2)) for x in (loguniform(rng, -320, 308) for _ in range(500))]
    ps += [(random_double(rng, 0, 20), random_double(rng, 0, 20)) for _ in range(100)]
    ps += [(MAX, MAX / 2), (MAX, 1.0), (5e-324, 5e-324), (3.0, 4.0), (1.0, 2.0**-30), (1.0, 2.0**-61), (0.0, -0.0), (0.0, 5.0)]
    a['hypot'] = ps
    return a


def write_table(path):
    rng = random.Random(20261129)
    lines = ['# name x [y] result: IEEE bits (16 hex digits), result correctly rounded; scripts/gen-math-table.py, mpmath ' + mpmath.__version__]
    for name, args in arguments(rng).items():
        f = FUNCTIONS[name]
        seen = set()
        for t in args:
            key = tuple(bits(v) for v in t)
            if key in seen:
                continue
            seen.add(key)
            r = rounded(f(*t))
            if math.isnan(r):
                continue
            lines.append(' '.join([name, *key, bits(r)]))
        print(name, len(seen), file=sys.stderr)
    with open(path, 'w') as out:
        out.write('\n'.join(lines) + '\n')


def ulp_error(computed: float, exact) -> float:
    """|computed - exact| in ulps of the exact value (2^-1074 at least)."""
    if math.isinf(computed) or mpmath.isinf(exact) or abs(exact) >= MAX:
        # beyond the largest double: right only when it rounds to the same infinity (or MAX)
        return 0.0 if computed == rounded(exact) else (1.0 if abs(computed) == MAX else math.inf)
    a = abs(exact)
    e = int(mpmath.frexp(a)[1]) if a != 0 else -1074
    ulp = mpmath.ldexp(1, max(e - 53, -1074))
    return float(abs(MP(computed) - exact) / ulp)


def check(path, only=None):
    """Read records (name length, name, arity, count, then count x (args..., result)) of doubles."""
    import array

    data = open(path, 'rb').read()
    pos = 0
    mpmath.mp.prec = 128
    while pos < len(data):
        n = data[pos]
        name = data[pos + 1 : pos + 1 + n].decode()
        pos += 1 + n
        arity, count = struct.unpack('<II', data[pos : pos + 8])
        pos += 8
        vals = array.array('d')
        vals.frombytes(data[pos : pos + 8 * count * (arity + 1)])
        if sys.byteorder != 'little':
            vals.byteswap()
        pos += 8 * count * (arity + 1)
        if only and name not in only:
            continue
        f = FUNCTIONS[name]
        worst, where, over_half = 0.0, None, 0
        for i in range(count):
            rec = vals[i * (arity + 1) : (i + 1) * (arity + 1)]
            err = ulp_error(rec[arity], f(*rec[:arity]))
            if err > 0.5:
                over_half += 1
            if err > worst:
                worst, where = err, rec[:arity].tolist()
        print(f'{name}: {count} arguments, max error {worst:.3f} ulp at {where}, {over_half} not correctly rounded')


def constants():
    mpmath.mp.prec = 1500
    print('TWO_OVER_PI', hex(int(mpmath.floor(2 / mpmath.pi * TWO**1280))))
    print('PIO2', hex(int(mpmath.nint(mpmath.pi / 2 * TWO**200))))


if __name__ == '__main__':
    if len(sys.argv) > 2 and sys.argv[1] == '--check':
        check(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) > 1 and sys.argv[1] == '--constants':
        constants()
    else:
        write_table(sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures/math-table.txt')
