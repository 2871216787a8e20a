import { describe, expect, it } from 'vitest';
import { renderValue } from '../index.js';

const r = (t: string, vars: Record<string, unknown> = {}) => renderValue(t, vars, { src: { file: 'site.yml', line: 2, col: 3 } });

// expected values computed on this machine by `openssl passwd -6/-5 -salt …` and Python's crypt.crypt (glibc)
describe('password_hash (SHA-crypt, checked against glibc / openssl)', () => {
  it('sha512 ($6$) by default and sha256 ($5$), with a given salt', () => {
    expect(r("{{ 'secret' | password_hash('sha512', 'abcdefgh') }}")).toBe('$6$abcdefgh$ltjgWl6579NluT/Vi1nwEvcil.G5Nbc4NiXZaNGStk8PSwGfQv72N2CKPPrVACtLtip/cZ/1GM/O6IND4WQhG.');
    expect(r("{{ pw | password_hash(salt='abcdefgh') }}", { pw: 'secret' })).toBe(r("{{ 'secret' | password_hash('sha512_crypt', 'abcdefgh') }}"));
    expect(r("{{ 'secret' | password_hash('sha256', 'saltsalt') }}")).toBe('$5$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA');
  });

  it('rounds, an empty password, a long non-ASCII one and a salt cut to 16 characters', () => {
    expect(r("{{ 'pw' | password_hash('sha512', 'xy', rounds=1000) }}")).toBe('$6$rounds=1000$xy$iuQKcZ2TAFa1eB.CJPNJxVLtmdJXVxW114bJViXTHZkF1Hxr3aQKJ1Xou3j6S3xBJBROkOtLLT.//lQM9XcAY.');
    expect(r("{{ '' | password_hash('sha512', 'abc') }}")).toBe('$6$abc$mJP3a6FyA8uCnzRtlnNypPwjnvpi5TP9qOrInzrfDmwxUQG38PkpCPdqfTb8JQfAngapMxeim4AZ..hSdRRzD.');
    const long = 'a very long password with ümlauts and more than sixty-four bytes .................';
    expect(r("{{ pw | password_hash('sha512', '0123456789abcdefXYZ') }}", { pw: long })).toBe('$6$0123456789abcdef$0RqvAIy6X3EMVGkhTmpotEi5Dx1hYs9XCV6t/KmA1T5p6h/cr3GGH7mQoJjjHGbfCfyu8r07rsyAnnHftSjiV0');
  });

  it('no salt: a random one (a new hash each time); unsupported schemes and bad salts refused', () => {
    const a = r("{{ 'x' | password_hash }}") as string;
    expect(a).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(r("{{ 'x' | password_hash }}")).not.toBe(a);
    expect(() => r("{{ 'x' | password_hash('bcrypt') }}")).toThrow(/hash type 'bcrypt' is not supported by Lifeboat \(it has sha512, sha256\)/);
    expect(() => r("{{ 'x' | password_hash('sha512', 'a$b') }}")).toThrow(/salt may hold only/);
  });
});
