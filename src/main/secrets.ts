import { join } from 'node:path';
import { safeStorage } from 'electron';
import {
  openEncryptedFileSecretStore,
  type SecretCipher,
} from './secrets/encrypted-file-secret-store';
import type { SecretStore } from './secrets/secret-store';

/**
 * The desktop app's secrets: tokens encrypted with Electron `safeStorage` (macOS Keychain,
 * Windows DPAPI, libsecret/KWallet on Linux) and stored as base64 ciphertext in
 * `<userData>/secrets.enc.json`, a file only its owner may read. The logic lives in
 * `secrets/encrypted-file-secret-store.ts` and is unit-tested there with a test cipher; this file
 * only supplies the cipher. Call after `app` is ready (safeStorage needs it on Linux).
 */

/** The encrypted secrets file inside the user-data folder. */
export function desktopSecretsPath(userData: string): string {
  return join(userData, 'secrets.enc.json');
}

const safeStorageCipher: SecretCipher = {
  unavailableReason() {
    if (!safeStorage.isEncryptionAvailable()) {
      return 'This system offers no keyring to encrypt tokens with; reference an environment variable instead (Settings → Token → Environment variable).';
    }
    // Without a keyring Chromium "encrypts" with a fixed, public password: that is plain text
    // with extra steps, so refuse rather than pretend.
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      return 'No keyring (GNOME Keyring, KWallet) is running, so tokens could not be encrypted safely; start one, or reference an environment variable instead.';
    }
    return null;
  },
  encrypt: (plainText) => safeStorage.encryptString(plainText),
  decrypt: (cipherText) => safeStorage.decryptString(cipherText),
};

/** Opens the desktop app's encrypted secret store in `userData`. */
export function openDesktopSecretStore(userData: string): SecretStore {
  return openEncryptedFileSecretStore(desktopSecretsPath(userData), safeStorageCipher);
}
