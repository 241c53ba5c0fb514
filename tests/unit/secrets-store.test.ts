import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openEncryptedFileSecretStore,
  type SecretCipher,
} from '../../src/main/secrets/encrypted-file-secret-store';
import { openFileSecretStore } from '../../src/main/secrets/file-secret-store';
import { ownerOnlyProblem } from '../../src/main/secrets/owner-only-file';
import { createMemorySecretStore, SecretStoreError } from '../../src/main/secrets/secret-store';

const TOKEN = 'ghp_secretsTest0123456789abcdefABCDEF';
const posix = process.platform !== 'win32';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'pipewatch-secrets-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** AES-256-GCM with a key of its own: a stand-in for safeStorage that really encrypts. */
function testCipher(available = true): SecretCipher {
  const key = randomBytes(32);
  return {
    unavailableReason: () => (available ? null : 'No keyring here.'),
    encrypt(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(cipherText) {
      const decipher = createDecipheriv('aes-256-gcm', key, cipherText.subarray(0, 12));
      decipher.setAuthTag(cipherText.subarray(12, 28));
      return Buffer.concat([decipher.update(cipherText.subarray(28)), decipher.final()]).toString();
    },
  };
}

describe('serve mode secrets file', () => {
  it('round-trips a token through a file it creates owner-only', () => {
    const path = join(folder, 'secrets.json');
    const store = openFileSecretStore(path);
    expect(store.get('team-github')).toBeNull();

    store.set('team-github', TOKEN);

    expect(openFileSecretStore(path).get('team-github')).toBe(TOKEN);
    expect(store.ids()).toEqual(['team-github']);
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(store.remove('team-github')).toBe(true);
    expect(openFileSecretStore(path).get('team-github')).toBeNull();
  });

  it.runIf(posix).each([
    [0o644, 'every user'],
    [0o640, 'its group'],
    [0o604, 'every user'],
    [0o620, 'its group'],
  ])('refuses a file with mode %o, naming the file and chmod 600', (mode, who) => {
    const path = join(folder, 'secrets.json');
    writeFileSync(path, JSON.stringify({ 'team-github': TOKEN }));
    chmodSync(path, mode);

    const open = () => openFileSecretStore(path);

    expect(open).toThrow(SecretStoreError);
    expect(open).toThrow(`Secrets file ${path} can be read or changed by ${who}`);
    expect(open).toThrow(`chmod 600 ${path}`);
  });

  it.runIf(posix)('stops handing out tokens once the file becomes readable by others', () => {
    const path = join(folder, 'secrets.json');
    const store = openFileSecretStore(path);
    store.set('team-github', TOKEN);
    chmodSync(path, 0o644);
    // The mode is part of the stamp, so the change is noticed without waiting for an edit.
    expect(() => store.get('team-github')).toThrow(/chmod 600/);
  });

  it.runIf(posix)('refuses a symbolic link', () => {
    const real = join(folder, 'real.json');
    writeFileSync(real, '{}', { mode: 0o600 });
    const link = join(folder, 'secrets.json');
    symlinkSync(real, link);
    expect(() => openFileSecretStore(link)).toThrow(/symbolic link/);
  });

  it('picks up a token rotated by hand while running', () => {
    const path = join(folder, 'secrets.json');
    writeFileSync(path, JSON.stringify({ 'team-github': 'old-token' }), { mode: 0o600 });
    const store = openFileSecretStore(path);
    expect(store.get('team-github')).toBe('old-token');

    writeFileSync(path, JSON.stringify({ 'team-github': `${TOKEN}-rotated` }), { mode: 0o600 });

    expect(store.get('team-github')).toBe(`${TOKEN}-rotated`);
  });

  it('never quotes the file in its errors, since the file holds tokens', () => {
    const path = join(folder, 'secrets.json');
    writeFileSync(path, `{"team-github": "${TOKEN}",}`, { mode: 0o600 });
    let message = '';
    try {
      openFileSecretStore(path);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`Secrets file ${path} is not valid JSON`);
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain('ghp_');
  });

  it('refuses tokens that would break an HTTP header', () => {
    const store = openFileSecretStore(join(folder, 'secrets.json'));
    expect(() => store.set('team-github', 'abc\r\nX-Evil: 1')).toThrow(/one line/);
    expect(() => store.set('../etc/passwd', TOKEN)).toThrow(/not a valid secret id/);
  });
});

describe('which files may hold secrets', () => {
  it('accepts owner-only files of this user and nothing else', () => {
    expect(ownerOnlyProblem('/s.json', { mode: 0o100600, uid: 1000 }, 1000, 'linux')).toBeNull();
    expect(ownerOnlyProblem('/s.json', { mode: 0o100400, uid: 1000 }, 1000, 'linux')).toBeNull();
    expect(ownerOnlyProblem('/s.json', { mode: 0o100644, uid: 1000 }, 1000, 'linux')).toMatch(
      /every user — run chmod 600 \/s.json/,
    );
    expect(ownerOnlyProblem('/s.json', { mode: 0o100600, uid: 0 }, 1000, 'darwin')).toMatch(
      /belongs to another user/,
    );
    // Windows has no mode bits; the profile folder is the user's own.
    expect(ownerOnlyProblem('C:\\s.json', { mode: 0o100666, uid: 0 }, null, 'win32')).toBeNull();
  });
});

describe('desktop encrypted secrets file', () => {
  it('round-trips a token and keeps only ciphertext on disk', () => {
    const path = join(folder, 'secrets.enc.json');
    const cipher = testCipher();
    const store = openEncryptedFileSecretStore(path, cipher);

    store.set('team-github', TOKEN);

    expect(openEncryptedFileSecretStore(path, cipher).get('team-github')).toBe(TOKEN);
    const onDisk = readFileSync(path, 'utf8');
    expect(onDisk).not.toContain(TOKEN);
    expect(onDisk).not.toContain(Buffer.from(TOKEN).toString('base64'));
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses to store a token when no keyring can encrypt it', () => {
    const path = join(folder, 'secrets.enc.json');
    const store = openEncryptedFileSecretStore(path, testCipher(false));
    expect(() => store.set('team-github', TOKEN)).toThrow('No keyring here.');
    expect(store.ids()).toEqual([]);
  });

  it('says so, without the ciphertext, when another machine’s file cannot be decrypted', () => {
    const path = join(folder, 'secrets.enc.json');
    openEncryptedFileSecretStore(path, testCipher()).set('team-github', TOKEN);
    const elsewhere = openEncryptedFileSecretStore(path, testCipher());
    expect(() => elsewhere.get('team-github')).toThrow(/cannot be decrypted on this machine/);
  });

  it.runIf(posix)('refuses an encrypted file others can read too', () => {
    const path = join(folder, 'secrets.enc.json');
    writeFileSync(path, '{}', { mode: 0o644 });
    chmodSync(path, 0o644);
    expect(() => openEncryptedFileSecretStore(path, testCipher())).toThrow(/chmod 600/);
  });
});

describe('memory secrets', () => {
  it('round-trips and lists ids only', () => {
    const store = createMemorySecretStore({ a: 'one' });
    store.set('b', TOKEN);
    expect(store.get('b')).toBe(TOKEN);
    expect(store.ids()).toEqual(['a', 'b']);
    expect(store.remove('a')).toBe(true);
    expect(store.remove('a')).toBe(false);
  });
});
