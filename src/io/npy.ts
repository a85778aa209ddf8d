// NumPy's .npy format (version 1.0), written as bytes: a header NumPy itself would write (the same
// dict text, the same spare space and padding to a 64-byte boundary) followed by the raw little-endian
// data, so np.load reads it without pickle. Pure: the bytes go to the caller, which writes the file.

/** The element types the package writes: float64, int32, int8, uint8, and fixed-width unicode (UCS-4). */
export type NpyArray =
  | { readonly dtype: 'f8'; readonly shape: readonly number[]; readonly data: Float64Array }
  | { readonly dtype: 'i4'; readonly shape: readonly number[]; readonly data: Int32Array }
  | { readonly dtype: 'i1'; readonly shape: readonly number[]; readonly data: Int8Array | Uint8Array }
  | { readonly dtype: 'u1'; readonly shape: readonly number[]; readonly data: Uint8Array }
  | { readonly dtype: 'U'; readonly shape: readonly number[]; readonly data: readonly string[] };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ALIGN = 64;
/** NumPy leaves room for the first axis to grow to this many digits (numpy.lib.format). */
const GROWTH_AXIS_MAX_DIGITS = 21;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A 0-d unicode array holding one string (np.array(text)): how settings travel as JSON. */
export function npyText(text: string): NpyArray {
  return { dtype: 'U', shape: [], data: [text] };
}

/** Python's repr of a shape tuple: (), (5,), (2, 3). */
function shapeRepr(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

function codePoints(text: string): number[] {
  return Array.from(text, (c) => c.codePointAt(0)!);
}

function descr(array: NpyArray): { descr: string; itemChars: number } {
  switch (array.dtype) {
    case 'f8':
      return { descr: '<f8', itemChars: 0 };
    case 'i4':
      return { descr: '<i4', itemChars: 0 };
    case 'i1':
      return { descr: '|i1', itemChars: 0 };
    case 'u1':
      return { descr: '|u1', itemChars: 0 };
    case 'U': {
      // NumPy's narrowest unicode dtype is <U1, even for empty strings.
      const width = Math.max(1, ...array.data.map((s) => codePoints(s).length));
      return { descr: `<U${width}`, itemChars: width };
    }
  }
}

/** The header block: magic, version 1.0, length, dict text padded with spaces and a newline to 64 bytes. */
export function npyHeader(dtype: string, shape: readonly number[]): Uint8Array {
  let text = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeRepr(shape)}, }`;
  if (shape.length > 0) text += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  const hlen = text.length + 1;
  const pad = ALIGN - ((MAGIC.length + 2 + 2 + hlen) % ALIGN);
  const total = hlen + pad;
  if (total > 0xffff) throw new Error(`an .npy header of ${total} bytes needs format 2.0`);
  const out = new Uint8Array(MAGIC.length + 4 + total);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = total & 0xff;
  out[9] = total >> 8;
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  out.fill(0x20, 10 + text.length, out.length - 1);
  out[out.length - 1] = 0x0a;
  return out;
}

function littleEndianBytes(data: Float64Array | Int32Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN) return bytes;
  const size = data.BYTES_PER_ELEMENT;
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) for (let k = 0; k < size; k++) swapped[i + k] = bytes[i + size - 1 - k];
  return swapped;
}

/** The .npy file as chunks (header, then the data, not copied on little-endian machines). */
export function npyChunks(array: NpyArray): Uint8Array[] {
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.data.length !== count)
    throw new Error(`an array of shape (${array.shape.join(', ')}) needs ${count} elements, not ${array.data.length}`);
  const { descr: d, itemChars } = descr(array);
  const header = npyHeader(d, array.shape);
  switch (array.dtype) {
    case 'f8':
    case 'i4':
      return [header, littleEndianBytes(array.data)];
    case 'i1':
    case 'u1':
      return [header, new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength)];
    case 'U': {
      const body = new Uint8Array(count * itemChars * 4);
      const view = new DataView(body.buffer);
      array.data.forEach((s, i) => codePoints(s).forEach((c, k) => view.setUint32((i * itemChars + k) * 4, c, true)));
      return [header, body];
    }
  }
}

/** Total length of chunks. */
export function chunkLength(chunks: readonly Uint8Array[]): number {
  return chunks.reduce((s, c) => s + c.length, 0);
}
