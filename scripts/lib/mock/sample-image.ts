// A valid PNG of exact dimensions, written byte by byte (node:zlib only): what `demo` uploads, what
// the mock serves for a user trying uploads by hand, and what tests use to meet (or miss)
// Dribbble's exact-size image rule.
import { crc32, deflateSync } from 'node:zlib';
import { SHOT_IMAGE_RULES } from '../dribbble/api-v2.js';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A grey PNG of exactly width x height; `padTo` appends bytes after IEND to reach a file size. */
export function pngOfSize(width: number, height: number, padTo = 0): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter: none
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
  return png.length >= padTo ? png : Buffer.concat([png, Buffer.alloc(padTo - png.length)]);
}

/** Where the mock serves a PNG that passes the upload rule (the larger allowed size). */
export const SAMPLE_SHOT_PATH = '/sample/shot.png';

export function sampleShotPng(): Buffer {
  const { width, height } = SHOT_IMAGE_RULES.sizes[SHOT_IMAGE_RULES.sizes.length - 1]!;
  return pngOfSize(width, height);
}
