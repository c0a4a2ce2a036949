// Dribbble's image rule checked from the bytes: exactly 400x300 or 800x600, GIF/JPG/PNG, 8 MB;
// a wrong size names the size found and the allowed ones; at most 12 tags.
import { describe, expect, test } from 'vitest';
import { fc, test as fcTest } from '../support/property.js';
import { checkShotImage, parseShotTags } from '../../scripts/lib/api/shot-image.js';
import { UsageError } from '../../scripts/lib/core/errors.js';
import { pngOfSize as pngImage } from '../support/images.js';

describe('checkShotImage', () => {
  test.each([[400, 300], [800, 600]])('%ix%i PNG is accepted', (w, h) => {
    expect(checkShotImage(pngImage(w, h), 'shot.png')).toMatchObject({ width: w, height: h, type: 'png' });
  });

  test('801x600 names the size found and the allowed ones', () => {
    expect(() => checkShotImage(pngImage(801, 600), 'shot.png')).toThrow(/801x600 pixels; Dribbble takes exactly 400x300 or 800x600/);
  });

  fcTest.prop([fc.integer({ min: 1, max: 1200 }), fc.integer({ min: 1, max: 1000 })])('any other size is refused with exit 2', (w, h) => {
    fc.pre(!((w === 400 && h === 300) || (w === 800 && h === 600)));
    const header = pngImage(1, 1);
    // The IHDR's width and height are what a reader takes: write them into a tiny valid PNG.
    header.writeUInt32BE(w, 16);
    header.writeUInt32BE(h, 20);
    let error: unknown;
    try {
      checkShotImage(header, 'x.png');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(String((error as Error).message)).toContain(`${w}x${h}`);
  });

  test('a BMP, a text file and an oversized file are refused', () => {
    const bmp = Buffer.alloc(54);
    bmp.write('BM', 0);
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(800, 18);
    bmp.writeInt32LE(600, 22);
    expect(() => checkShotImage(bmp, 'x.bmp')).toThrow(/is a BMP; Dribbble takes only GIF, JPG, PNG/);
    expect(() => checkShotImage(Buffer.from('hello'), 'x.png')).toThrow(/not an image/);
    expect(() => checkShotImage(Buffer.alloc(8 * 1024 * 1024 + 1), 'big.png')).toThrow(/at most 8388608/);
  });
});

describe('parseShotTags', () => {
  test('trimmed, empty ones dropped', () => {
    expect(parseShotTags(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(parseShotTags(undefined)).toEqual([]);
  });

  test('12 pass, 13 are refused', () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`).join(',');
    expect(parseShotTags(tags(12))).toHaveLength(12);
    expect(() => parseShotTags(tags(13))).toThrow(/13 tags; Dribbble takes at most 12/);
  });
});

// Audit finding: the first 40 bytes of an 800x600 PNG (a header only) were uploaded.
describe('a file cut short after its header', () => {
  test.each([40, 100])('an 800x600 PNG cut to %i bytes is refused (exit 2) before sending', (length) => {
    expect(() => checkShotImage(pngImage(800, 600).subarray(0, length), 'cut.png')).toThrow(expect.objectContaining({ exitCode: 2, code: 'image_truncated' }));
  });

  test('a GIF header claiming 800x600 with no image data is refused', () => {
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0x20, 0x03, 0x58, 0x02]), Buffer.alloc(30)]);
    expect(() => checkShotImage(gif, 'hdr.gif')).toThrow(expect.objectContaining({ exitCode: 2, code: 'image_truncated' }));
  });

  test('the whole PNG passes', () => {
    expect(checkShotImage(pngImage(800, 600), 'whole.png')).toMatchObject({ width: 800, height: 600, type: 'png' });
  });
});
