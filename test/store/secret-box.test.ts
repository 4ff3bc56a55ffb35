import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError, loadSecretBox, parseEncryptionKey } from '../../src/store/secret-box.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sy-box-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips, with a fresh IV each time and the versioned format', () => {
    const a = box.encrypt('sk-live-ünïcode-🔑');
    const b = box.encrypt('sk-live-ünïcode-🔑');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(box.decrypt(a)).toBe('sk-live-ünïcode-🔑');
    expect(box.decrypt(box.encrypt(''))).toBe('');
  });

  it('rejects tampering with ciphertext, tag or IV, a wrong key, and unknown formats', () => {
    const v = box.encrypt('secret');
    const [ver, iv, tag, data] = v.split(':') as [string, string, string, string];
    const flip = (s: string) => {
      const b = Buffer.from(s, 'base64url');
      b[0] = b[0]! ^ 0x80;
      return b.toString('base64url');
    };
    for (const bad of [[ver, iv, tag, flip(data)], [ver, iv, flip(tag), data], [ver, flip(iv), tag, data]]) {
      expect(() => box.decrypt(bad.join(':'))).toThrow(SecretBoxError);
    }
    expect(() => new SecretBox(randomBytes(32)).decrypt(v)).toThrow(/authentication/);
    expect(() => box.decrypt(`v2:${iv}:${tag}:${data}`)).toThrow(/format/);
    expect(() => box.decrypt('plaintext')).toThrow(SecretBoxError);
    expect(() => new SecretBox(randomBytes(16))).toThrow(RangeError);
  });
});

describe('encryption key loading', () => {
  const key = randomBytes(32);

  it('accepts the env key as hex or base64, and rejects the wrong size', () => {
    expect(parseEncryptionKey(key.toString('hex'))).toEqual(key);
    expect(parseEncryptionKey(key.toString('base64'))).toEqual(key);
    expect(parseEncryptionKey(key.toString('base64url'))).toEqual(key);
    expect(() => parseEncryptionKey(randomBytes(16).toString('hex'))).toThrow(/32 bytes/);
    expect(() => parseEncryptionKey('not a key')).toThrow(/32 bytes/);
    const loaded = loadSecretBox({ dataDir: tempDir(), env: { SWITCHYARD_ENCRYPTION_KEY: key.toString('hex') } });
    expect(loaded.source).toBe('env');
    expect(loaded.notice).toBeUndefined();
    expect(new SecretBox(key).decrypt(loaded.box.encrypt('x'))).toBe('x');
  });

  it('generates a 0600 key file on first start with a notice, and reuses it afterwards', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const first = loadSecretBox({ dataDir, env: {} });
    expect(first.source).toBe('generated');
    expect(first.notice).toMatch(/encryption\.key.*back it up/s);
    const file = join(dataDir, 'encryption.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    const sealed = first.box.encrypt('provider-key');
    const second = loadSecretBox({ dataDir, env: {} });
    expect(second.source).toBe('file');
    expect(second.notice).toBeUndefined();
    expect(second.box.decrypt(sealed)).toBe('provider-key');
  });
});
