// The rules Dribbble applies to a shot upload and an attachment, as the mock enforces them: each
// broken rule is one {attribute, message} of a 422 "Validation failed.".
import { imageSize } from 'image-size';
import { ATTACHMENT_MAX_BYTES, DOCUMENTED_ERRORS, SHOT_IMAGE_RULES } from '../dribbble/api-v2.js';

export interface ValidationError {
  attribute: string;
  message: string;
}

export const BLANK = "can't be blank";
const MB = 1024 * 1024;
/** Dribbble's documented wording of the size rule (the 422 example), derived from the rule itself. */
export const IMAGE_SIZE_MESSAGE = `must be exactly ${SHOT_IMAGE_RULES.sizes.map((s) => `${s.width}x${s.height}`).join(' or ')}`;
const IMAGE_TYPES_MESSAGE = `must be a ${SHOT_IMAGE_RULES.types.map((t) => t.toUpperCase()).join(', ').replace(/, ([^,]+)$/, ', or $1')}`;

export interface ShotImage {
  width: number;
  height: number;
  type: string;
}

/** The image's dimensions and type read from its bytes (never from its name or Content-Type), or the rules it breaks. */
export function checkShotImage(image: Uint8Array | undefined): { image?: ShotImage; errors: ValidationError[] } {
  if (!image || image.length === 0) return { errors: [{ attribute: 'image', message: BLANK }] };
  if (image.length > SHOT_IMAGE_RULES.maxBytes) return { errors: [{ attribute: 'image', message: `must be no larger than ${SHOT_IMAGE_RULES.maxBytes / MB} MB` }] };
  let found: ShotImage;
  try {
    const size = imageSize(image);
    found = { width: size.width, height: size.height, type: size.type ?? '' };
  } catch {
    return { errors: [{ attribute: 'image', message: IMAGE_TYPES_MESSAGE }] };
  }
  if (!(SHOT_IMAGE_RULES.types as readonly string[]).includes(found.type)) return { errors: [{ attribute: 'image', message: IMAGE_TYPES_MESSAGE }] };
  if (!SHOT_IMAGE_RULES.sizes.some((s) => s.width === found.width && s.height === found.height)) return { errors: [{ attribute: 'image', message: IMAGE_SIZE_MESSAGE }] };
  return { image: found, errors: [] };
}

/**
 * Tags as clients send them: repeated `tags[]` (Rails' array form) or `tags` fields, a JSON array,
 * or one comma-separated string; trimmed, empty ones dropped.
 */
export function readTags(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((t) => t.trim()).filter((t) => t !== '');
}

export function checkTags(tags: readonly string[]): ValidationError[] {
  return tags.length > SHOT_IMAGE_RULES.maxTags ? [{ attribute: 'tags', message: `is too long (maximum is ${SHOT_IMAGE_RULES.maxTags} tags)` }] : [];
}

export function checkAttachment(file: Uint8Array | undefined): ValidationError[] {
  if (!file || file.length === 0) return [{ attribute: 'file', message: BLANK }];
  if (file.length > ATTACHMENT_MAX_BYTES) return [{ attribute: 'file', message: `must be no larger than ${ATTACHMENT_MAX_BYTES / MB} MB` }];
  return [];
}

/** Dribbble's 422 body. */
export function validationFailed(errors: ValidationError[]): { message: string; errors: ValidationError[] } {
  return { message: DOCUMENTED_ERRORS[422].message, errors };
}
