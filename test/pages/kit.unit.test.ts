import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { pathOnThisSite } from '../../src/pages/kit.ts';

// The one helper behind every redirect of the pages, by property: whatever text comes in, what
// comes out is a path a browser resolves to this site, or nothing.

const config = { publicUrl: 'https://reading-room.example.edu' };
const ORIGIN = 'https://reading-room.example.edu';
/** A page of the site the browser is on when it follows the redirect. */
const PAGE = `${ORIGIN}/sign-in?next=x`;

/** What a browser makes of a Location header, by the WHATWG URL parser browsers use. */
const followed = (location: string) => new URL(location, PAGE);

/** Pieces attackers build `next` from: separators, encodings, control characters, schemes, hosts. */
const hostilePiece = fc.constantFrom(
  '/', '//', '\\', '.', '..', '%', '%2e', '%2f', '%5c', '%09', '%0a', '%0d', '%00', '%7f', '%25', '\t', '\n', '\r', '\u0000', '\u007f',
  ' ', ':', '@', '?', '#', '&', '=', 'evil.example', 'http:', 'https:', 'javascript:', '\u3002', '\uff0f', 'é', 'a', '1',
);
const hostileText = fc.oneof(
  fc.array(hostilePiece, { maxLength: 12 }).map((pieces) => pieces.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }).map((rest) => `/${rest}`),
);

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,11}$/);
const param = fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[A-Za-z0-9-]{0,10}$/)).map(([k, v]) => `${k}=${v}`);
/** An ordinary path of this site, with or without a query. */
const plainPath = fc
  .tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.array(param, { maxLength: 3 }))
  .map(([segments, params]) => `/${segments.join('/')}${params.length > 0 ? `?${params.join('&')}` : ''}`);

describe('pathOnThisSite', () => {
  it('gives, for any text, nothing or a path a browser follows to this site, with no character a browser would misread', () => {
    fc.assert(
      fc.property(hostileText, (candidate) => {
        const path = pathOnThisSite(candidate, config);
        if (path === undefined) return;
        assert.equal(followed(path).origin, ORIGIN, `${JSON.stringify(candidate)} gave ${JSON.stringify(path)}`);
        assert.match(path, /^\/(?![/\\])/);
        // eslint-disable-next-line no-control-regex -- control characters are what must never come through
        assert.doesNotMatch(path, /[\u0000-\u001f\u007f\\]/);
        assert.doesNotMatch(followed(path).pathname, /%[01][0-9a-f]|%7f|%5c/i, 'nor encoded in the path');
        assert.equal(path, `${followed(path).pathname}${followed(path).search}`, 'path and query only');
        assert.equal(pathOnThisSite(path, config), path, 'a path it gave is taken as it is');
      }),
      { numRuns: 20_000 },
    );
  });

  it('keeps an ordinary path of this site and its query as they are', () => {
    fc.assert(
      fc.property(plainPath, (path) => {
        assert.equal(pathOnThisSite(path, config), path);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps a query that holds encoded control characters or backslashes: a search may', () => {
    assert.equal(pathOnThisSite('/desk?q=O%5CBrien%0A', config), '/desk?q=O%5CBrien%0A');
  });

  it('drops a fragment: path and query only', () => {
    assert.equal(pathOnThisSite('/requests?cancelled=3#request-3', config), '/requests?cancelled=3');
  });
});
