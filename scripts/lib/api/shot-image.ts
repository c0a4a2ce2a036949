// Dribbble's rules for a shot, checked before anything is sent: exactly 400x300 or 800x600, at
// most 8 MB, a GIF, JPG or PNG (by its bytes, not its name), at most 12 tags.
import { imageSize } from 'image-size';
import { UsageError } from '../core/errors.js';
import { showUntrusted } from '../core/terminal-text.js';
import { SHOT_IMAGE_RULES } from '../dribbble/api-v2.js';

export interface ShotImage {
  width: number;
  height: number;
  /** gif, jpg or png. */
  type: string;
  bytes: number;
}

const ALLOWED_SIZES = SHOT_IMAGE_RULES.sizes.map((s) => `${s.width}x${s.height}`).join(' or ');
const ALLOWED_TYPES = SHOT_IMAGE_RULES.types.map((t) => t.toUpperCase()).join(', ');

/** Whether the file ends as a whole file of its type does: PNG's IEND chunk, JPEG's EOI, GIF's trailer. */
function endsWhole(bytes: Uint8Array, type: string): boolean {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 16)));
  if (type === 'png') return tail.includes(Buffer.from('IEND'));
  if (type === 'jpg') return tail.includes(Buffer.from([0xff, 0xd9]));
  if (type === 'gif') return bytes.length > 0 && bytes[bytes.length - 1] === 0x3b;
  return false;
}

/** The image's facts, or exit 2 naming the file, what is wrong, the rule and what to do. */
export function checkShotImage(bytes: Uint8Array, shownPath: string): ShotImage {
  const name = showUntrusted(shownPath);
  if (bytes.length > SHOT_IMAGE_RULES.maxBytes) {
    throw new UsageError('image_too_large', `The image ${name} is ${bytes.length} bytes; Dribbble takes at most ${SHOT_IMAGE_RULES.maxBytes} (8 MB). Export it smaller (fewer colours, more compression) at ${ALLOWED_SIZES}.`);
  }
  let found: { width?: number; height?: number; type?: string };
  try {
    found = imageSize(bytes);
  } catch {
    throw new UsageError('image_type', `The image ${name} is not an image this tool can read; Dribbble takes a ${ALLOWED_TYPES} of exactly ${ALLOWED_SIZES} pixels.`);
  }
  const type = found.type === 'jpeg' ? 'jpg' : (found.type ?? 'unknown');
  if (!(SHOT_IMAGE_RULES.types as readonly string[]).includes(type)) {
    throw new UsageError('image_type', `The image ${name} is a ${type.toUpperCase()}; Dribbble takes only ${ALLOWED_TYPES}. Export it as a PNG (or JPG, GIF) of ${ALLOWED_SIZES}.`);
  }
  // image-size reads the header only: a file cut short after it would be uploaded and fail there.
  if (!endsWhole(bytes, type)) {
    throw new UsageError('image_truncated', `The image ${name} ends before its ${type.toUpperCase()} end marker: the file is cut short or damaged. Export it again.`);
  }
  const { width = 0, height = 0 } = found;
  if (!SHOT_IMAGE_RULES.sizes.some((s) => s.width === width && s.height === height)) {
    throw new UsageError('image_size', `The image ${name} is ${width}x${height} pixels; Dribbble takes exactly ${ALLOWED_SIZES} (no other size, not even one pixel off). Resize or crop it to one of those.`);
  }
  return { width, height, type, bytes: bytes.length };
}

/** --tags a,b,c: trimmed, empty ones dropped, at most 12. */
export function parseShotTags(raw: string | undefined): string[] {
  const tags = (raw ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (tags.length > SHOT_IMAGE_RULES.maxTags) {
    throw new UsageError('too_many_tags', `--tags has ${tags.length} tags; Dribbble takes at most ${SHOT_IMAGE_RULES.maxTags} on a shot. Keep the ${SHOT_IMAGE_RULES.maxTags} that matter most.`);
  }
  return tags;
}
