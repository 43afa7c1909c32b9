import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inventoryTexts } from '../../src/scan/image/index.js';
import { inventory } from '../../src/scan/image/inventory/index.js';

const paragraph = (name: string, version: string, description: string): string => `Package: ${name}\nStatus: install ok installed\nVersion: ${version}\nArchitecture: amd64\nDescription: ${description}\n`;

describe('hostile inventory files', () => {
  it('reads a dpkg status file cut into pieces exactly as it reads the whole (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9+.-]{0,12}$/), version: fc.stringMatching(/^[0-9][0-9a-z.+~-]{0,8}$/), lines: fc.array(fc.stringMatching(/^[a-z ]{1,30}$/), { maxLength: 4 }) }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 8, max: 400 }), (packages, chunk) => {
        const text = packages.map((p) => paragraph(p.name, p.version, ['x', ...p.lines.map((l) => ` ${l.trim() || '.'}`)].join('\n'))).join('\n');
        const content = Buffer.from(text);
        const pieces = inventoryTexts('var/lib/dpkg/status', content, chunk);
        expect(pieces.join('')).toBe(text);
        const whole = inventory([{ path: 'var/lib/dpkg/status', text }]).packages.map((p) => `${p.name}=${p.version}`);
        const cut = inventory(pieces.map((t) => ({ path: 'var/lib/dpkg/status', text: t }))).packages.map((p) => `${p.name}=${p.version}`);
        // a paragraph longer than a piece may be cut; with pieces larger than any paragraph, nothing changes
        if (Math.max(...text.split('\n\n').map((p) => p.length + 2)) <= chunk) expect(cut).toEqual(whole);
      }),
      { numRuns: 100 },
    );
  });

  it('reads a status file larger than V8 allows in one string, without a spread that overflows the stack', () => {
    // 1,200,000 packages: ~100 MB of text, decoded in 16 MB pieces
    const one = Buffer.from(paragraph('p', '1.0', 'x') + '\n');
    const count = 1_200_000;
    const content = Buffer.alloc(one.length * count);
    for (let i = 0; i < count; i++) one.copy(content, i * one.length);
    const pieces = inventoryTexts('var/lib/dpkg/status', content);
    expect(pieces.length).toBe(Math.ceil(content.length / (16 * 1024 * 1024)));
    const { packages } = inventory(pieces.map((text) => ({ path: 'var/lib/dpkg/status', text })));
    expect(packages.length).toBe(count);
  }, 60_000);
});
