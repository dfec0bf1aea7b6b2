import type { Socket } from 'node:net';
import type { ConnectionError } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { securityHeadersFor } from '../http/security-headers';
import { apiOf } from './api-of';
import { errorAnswer } from './error-answer';
import { faultOf } from './http-fault';

/**
 * Fastify's `clientErrorHandler`: Node refuses what it cannot parse as HTTP (headers or URL over
 * 16 KB: 431; a broken request line: 400; too slow: 408) before Fastify sees a request. The answer
 * is written on the socket, in the shape of the API the request line names, as far as it was read.
 */
export function clientErrorHandler(bodyLimit: number) {
  return (error: ConnectionError, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    if (socket.writable) {
      const raw: unknown = error.rawPacket;
      const head = (Buffer.isBuffer(raw) ? raw : Buffer.alloc(0)).subarray(0, 8192).toString('latin1');
      const [method = '', url = ''] = head.split('\r\n', 1)[0]!.split(' ');
      const target = /\r\nx-amz-target:/i.test(head) ? '' : undefined;
      const answer = errorAnswer(apiOf(method, url, target), faultOf(error, bodyLimit), target);
      const headers = {
        ...securityHeadersFor(url.startsWith('/') ? url : '/'),
        'content-type': answer.contentType,
        'content-length': String(answer.body.length),
        connection: 'close',
      };
      const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.write(`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n${lines.join('')}\r\n`);
      socket.write(answer.body);
    }
    socket.destroy(error);
  };
}
