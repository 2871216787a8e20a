import { describe, expect, it } from 'vitest';
import { encodeBody, parseResponse } from '../../src/modules/uri.js';
import { FakeConnection } from './fake.js';
import { planModule } from './run.js';

describe('uri', () => {
  it('encodes json and form bodies with their Content-Type', () => {
    expect(encodeBody({ body: { a: 1 }, body_format: 'json' })).toEqual({ data: '{"a":1}', type: 'application/json' });
    expect(encodeBody({ body: { a: 'x y', b: 2 }, body_format: 'form-urlencoded' })).toEqual({ data: 'a=x+y&b=2', type: 'application/x-www-form-urlencoded' });
    expect(encodeBody({ body: 'raw' })).toEqual({ data: 'raw' });
    expect(encodeBody({})).toEqual({});
  });
  it("reads curl's output: the last response's headers after redirects, the body from base64", () => {
    const out = `rc=0\ncode=200\nurl=http://h/b\n--lifeboat-uri--headers\nHTTP/1.1 302 Found\r\nLocation: /b\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: 7\r\n\r\n\n--lifeboat-uri--body\n${Buffer.from('{"ok":true}').toString('base64')}\n`;
    expect(parseResponse(out)).toEqual({ rc: 0, status: 200, url: 'http://h/b', headers: { content_type: 'application/json', x_request_id: '7' }, body: '{"ok":true}' });
  });
  it('the body goes on stdin, never in the command; safe redirects only for GET', async () => {
    const c = new FakeConnection();
    const op = await planModule('uri', { url: 'http://h/a', method: 'post', body: { secret: 'v' }, body_format: 'json' }, c);
    const s = op.steps[0];
    expect(s?.kind === 'exec' && s.stdin).toBe('{"secret":"v"}');
    expect(s?.kind === 'exec' && s.cmd).not.toContain('secret');
    expect(s?.kind === 'exec' && s.cmd).not.toContain(' -L ');
    expect(op.changed).toBe('unknown');
    const g = await planModule('uri', { url: 'http://h/a' }, c);
    expect(g.changed).toBe(false);
    expect(g.steps[0]?.kind === 'exec' && g.steps[0].cmd).toContain(' -L ');
    expect((await planModule('uri', { url: 'http://h/a', status_code: '200,201' }, c)).steps[0]?.description).toContain('expecting 200/201');
    await expect(planModule('uri', { url: 'http://h/a', status_code: ['x'] }, c)).rejects.toMatchObject({ code: 'E_MODULE' });
  });
});
