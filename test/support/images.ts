// Images of exact sizes for upload tests, written byte by byte (node:zlib only, no package).
export { pngOfSize } from '../../scripts/lib/mock/sample-image.js';

/** A BMP header of the given size: an image, but not a GIF, JPG or PNG. */
export function bmpOfSize(width: number, height: number): Buffer {
  const bmp = Buffer.alloc(54);
  bmp.write('BM', 0, 'latin1');
  bmp.writeUInt32LE(54, 2);
  bmp.writeUInt32LE(40, 14);
  bmp.writeInt32LE(width, 18);
  bmp.writeInt32LE(height, 22);
  bmp.writeUInt16LE(1, 26);
  bmp.writeUInt16LE(24, 28);
  return bmp;
}
