
import type { AddressInfo } from 'node:net';
import ssh2, { type Connection } from 'ssh2';

/**
 * A real SFTP server for the tests (ssh2 in server mode) on 127.0.0.1, serving files from memory:
 * password login, and the few requests a download makes (stat, open, read, close). Its host key
 * is made at start.
 */

const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

export type TestSftpServer = { port: number; files: Map<string, { body: Buffer; mtime: number }>; connections: () => number; close: () => Promise<void> };

export async function startSftpServer(credentials: { username: string; password: string }): Promise<TestSftpServer> {
  const files = new Map<string, { body: Buffer; mtime: number }>();
  const hostKey = utils.generateKeyPairSync('ed25519').private;
  let connections = 0;
  const server = new Server({ hostKeys: [hostKey] }, (client: Connection) => {
    connections++;
    client.on('authentication', (context) => {
      if (context.method === 'password' && context.username === credentials.username && context.password === credentials.password) context.accept();
      else context.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => {
          const sftp = acceptSftp();
          const open = new Map<number, { body: Buffer }>();
          let next = 0;
          const attrs = (file: { body: Buffer; mtime: number }) => ({ mode: 0o100644, uid: 0, gid: 0, size: file.body.length, atime: file.mtime, mtime: file.mtime });
          sftp.on('STAT', (id, path) => {
            const file = files.get(path);
            return file ? sftp.attrs(id, attrs(file)) : sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
          });
          sftp.on('LSTAT', (id, path) => {
            const file = files.get(path);
            return file ? sftp.attrs(id, attrs(file)) : sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
          });
          sftp.on('OPEN', (id, path, flags) => {
            const file = files.get(path);
            if (!file || flags !== OPEN_MODE.READ) return sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
            const handle = Buffer.alloc(4);
            handle.writeUInt32BE(++next);
            open.set(next, { body: file.body });
            return sftp.handle(id, handle);
          });
          sftp.on('FSTAT', (id, handle) => {
            const file = open.get(handle.readUInt32BE());
            return file ? sftp.attrs(id, { mode: 0o100644, uid: 0, gid: 0, size: file.body.length, atime: 0, mtime: 0 }) : sftp.status(id, STATUS_CODE.FAILURE);
          });
          sftp.on('READ', (id, handle, offset, length) => {
            const file = open.get(handle.readUInt32BE());
            if (!file) return sftp.status(id, STATUS_CODE.FAILURE);
            if (offset >= file.body.length) return sftp.status(id, STATUS_CODE.EOF);
            return sftp.data(id, file.body.subarray(offset, offset + length));
          });
          sftp.on('CLOSE', (id, handle) => {
            open.delete(handle.readUInt32BE());
            sftp.status(id, STATUS_CODE.OK);
          });
        });
      });
    });
    client.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    files,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

