import { z } from 'zod';

/**
 * The shapes palisade reads from OCI image indexes and manifests (local layouts and registry
 * answers), validated before use: a registry or a file controls these bytes. A digest is
 * `sha256:` + 64 hex or `sha512:` + 128 hex (OCI image-spec descriptor.md, registered
 * algorithms), so it can never name a path outside `blobs/` (`sha256:../../etc/passwd`).
 */
export const DIGEST = /^(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

export const descriptorSchema = z.object({
  mediaType: z.string().optional(),
  digest: z.string().regex(DIGEST, 'must be sha256:<64 hex> or sha512:<128 hex>'),
  size: z.number().int().nonnegative().optional(),
  platform: z.object({ os: z.string().optional(), architecture: z.string().optional(), variant: z.string().optional() }).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

export const indexSchema = z.object({ mediaType: z.string().optional(), manifests: z.array(descriptorSchema) });

export const manifestSchema = z.object({ mediaType: z.string().optional(), config: descriptorSchema, layers: z.array(descriptorSchema) });

export type DescriptorShape = z.infer<typeof descriptorSchema>;

/** Parse JSON bytes and check them against a schema; the error names the first bad fields by path. */
export function parseShape<T>(schema: z.ZodType<T>, bytes: Uint8Array): { value: T } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    return { error: `is not JSON (${(cause as Error).message})` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { value: result.data };
  const issues = result.error.issues.slice(0, 3).map((issue) => `${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
  return { error: `is not a valid image index or manifest: ${issues.join('; ')}${result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : ''}` };
}
