import { describe, expect, it } from '@jest/globals';
import { isCaliforniaZip, resolveZip } from '../src/zip.js';

describe('zip', () => {
  it('knows California by its ZIP prefixes 900-961', () => {
    expect(['90001', '94016', '96162'].every(isCaliforniaZip)).toBe(true);
    expect(['89999', '96200', '10001', '9401', '940161', 'abcde'].some(isCaliforniaZip)).toBe(false);
  });

  it('falls back to the default when no zip is asked for', () => {
    expect(resolveZip(undefined, '94016')).toEqual({ ok: true, zip: '94016' });
    expect(resolveZip('', '94016')).toEqual({ ok: true, zip: '94016' });
  });

  it('answers 400 for a malformed zip (including ?zip=a&zip=b) and 404 outside California', () => {
    expect(resolveZip('9021', '94016')).toMatchObject({ ok: false, status: 400 });
    expect(resolveZip(['90210', '90211'], '94016')).toMatchObject({ ok: false, status: 400 });
    expect(resolveZip('10001', '94016')).toMatchObject({ ok: false, status: 404, message: '10001 is not a California ZIP code' });
    expect(resolveZip('90210', '94016')).toEqual({ ok: true, zip: '90210' });
  });
});
