// The ziggurat's fast loop on xoshiro128++ words (src/random/xoshiro.ts, fillPass), in WebAssembly: the
// same word per normal and the same arithmetic, so the same bits. Words that miss their layer's
// rectangle are recorded (position, word) and finished by the caller with the TypeScript slow path,
// which draws from the auxiliary stream in position order, exactly as the reference does.

/** Where the caller put the tables: K (256 i32) and W (256 f64), copied from src/random/ziggurat.ts. */
let tableK: usize = 0;
let tableW: usize = 0;

export function setTables(k: usize, w: usize): void {
  tableK = k;
  tableW = w;
}

/**
 * Fill out[0, count) from the stream whose four state words are at `state` (read and written back).
 * Returns how many words missed; their positions and words go to rejIndex and rejWord.
 */
export function fillNormals(state: usize, out: usize, count: i32, rejIndex: usize, rejWord: usize): i32 {
  let s0 = load<i32>(state);
  let s1 = load<i32>(state, 4);
  let s2 = load<i32>(state, 8);
  let s3 = load<i32>(state, 12);
  const tk = tableK;
  const tw = tableW;
  let missed: i32 = 0;
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
    if (abs<i32>(j) < load<i32>(tk + (layer << 2))) {
      store<f64>(out + (<usize>p << 3), <f64>j * load<f64>(tw + (layer << 3)));
    } else {
      store<i32>(rejIndex + (<usize>missed << 2), p);
      store<i32>(rejWord + (<usize>missed << 2), r);
      missed++;
    }
  }
  store<i32>(state, s0);
  store<i32>(state, s1, 4);
  store<i32>(state, s2, 8);
  store<i32>(state, s3, 12);
  return missed;
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
