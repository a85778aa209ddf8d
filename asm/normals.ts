// The ziggurat on xoshiro128++ words (src/random/xoshiro.ts and ziggurat.ts) in WebAssembly: the same word
// per normal and the same arithmetic, so the same bits. A word that misses its layer's rectangle is
// finished by the slow path (slowNormal below, ziggurat.ts's with log and exp from math.ts) drawing from
// the auxiliary stream; the reference finishes its misses after each pass, in position order, and the
// auxiliary stream is drawn by nothing else, so finishing each miss where it occurs gives the same numbers.
import { exp, log } from './math';

/** Where the caller put the tables, copied from src/random/ziggurat.ts: K (256 i32), W and F (256 f64). */
let tableK: usize = 0;
let tableW: usize = 0;
let tableF: usize = 0;

export function setTables(k: usize, w: usize, f: usize): void {
  tableK = k;
  tableW = w;
  tableF = f;
}

/** R: the right edge of the base layer (ziggurat.ts). */
const R: f64 = 3.6541528853610088;

/** The next word of the stream whose state is at `state`. */
function nextWord(state: usize): i32 {
  const s0 = load<i32>(state);
  let s1 = load<i32>(state, 4);
  let s2 = load<i32>(state, 8);
  let s3 = load<i32>(state, 12);
  const r = rotl<i32>(s0 + s3, 7) + s0;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  store<i32>(state, s0 ^ s3);
  store<i32>(state, s1, 4);
  store<i32>(state, s2 ^ t, 8);
  store<i32>(state, rotl<i32>(s3, 11), 12);
  return r;
}

/** Uniform on (0, 1) from one word (Xoshiro128pp.nextUniform). */
// @ts-ignore: decorator
@inline function nextUniform(state: usize): f64 {
  return (<f64><u32>nextWord(state) + 0.5) / 4294967296;
}

/** ziggurat.ts slowNormal: the rejection part, entered with the word u that missed, drawing from `aux`. */
// @ts-ignore: decorator
@noinline function slowNormal(aux: usize, u: i32): f64 {
  const tk = tableK;
  const tw = tableW;
  const tf = tableF;
  for (;;) {
    const layer = <usize>(u & 255);
    const j = u >> 8;
    const x = <f64>j * load<f64>(tw + (layer << 3));
    if (layer == 0) {
      let a: f64;
      let b: f64;
      do {
        a = -log(nextUniform(aux)) / R;
        b = -log(nextUniform(aux));
      } while (b + b < a * a);
      return j < 0 ? -R - a : R + a;
    }
    const fl = load<f64>(tf + (layer << 3));
    const below = load<f64>(tf + ((layer - 1) << 3));
    if (fl + nextUniform(aux) * (below - fl) < exp(-0.5 * x * x)) return x;
    u = nextWord(aux);
    const next = u >> 8;
    const l2 = <usize>(u & 255);
    if (abs<i32>(next) < load<i32>(tk + (l2 << 2))) return <f64>next * load<f64>(tw + (l2 << 3));
  }
  return unreachable();
}

/**
 * Fill out[0, count) with finished normals from the stream at `state`, misses finished from the auxiliary
 * stream at `aux` (both states read and written back).
 */
export function fillNormalsFinished(state: usize, aux: usize, out: usize, count: i32): void {
  let s0 = load<i32>(state);
  let s1 = load<i32>(state, 4);
  let s2 = load<i32>(state, 8);
  let s3 = load<i32>(state, 12);
  const tk = tableK;
  const tw = tableW;
  for (let p: i32 = 0; p < count; p++) {
    const r = rotl<i32>(s0 + s3, 7) + s0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl<i32>(s3, 11);
    const j = r >> 8;
    const layer = <usize>(r & 255);
    const at = out + (<usize>p << 3);
    if (abs<i32>(j) < load<i32>(tk + (layer << 2))) store<f64>(at, <f64>j * load<f64>(tw + (layer << 3)));
    else store<f64>(at, slowNormal(aux, r));
  }
  store<i32>(state, s0);
  store<i32>(state, s1, 4);
  store<i32>(state, s2, 8);
  store<i32>(state, s3, 12);
}

/** Fill out[0, count) with raw words (the coins of the splitting solver). */
export function fillWords(state: usize, out: usize, count: i32): void {
  let s0 = load<i32>(state);
  let s1 = load<i32>(state, 4);
  let s2 = load<i32>(state, 8);
  let s3 = load<i32>(state, 12);
  for (let p: i32 = 0; p < count; p++) {
    const r = rotl<i32>(s0 + s3, 7) + s0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl<i32>(s3, 11);
    store<i32>(out + (<usize>p << 2), r);
  }
  store<i32>(state, s0);
  store<i32>(state, s1, 4);
  store<i32>(state, s2, 8);
  store<i32>(state, s3, 12);
}
