/**
 * Feed bodies from bytes to text: the charset from the byte-order mark, the Content-Type header
 * or the XML declaration (the platform's TextDecoder, full ICU), with the fallbacks real feeds
 * need when "UTF-8" is not: the declaration, the legacy charset of the feed's language, then
 * Windows-1252.
 */

const charsetFromContentType = (contentType: string | null | undefined): string | undefined => {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
};

const charsetFromBom = (bytes: Uint8Array): string | undefined => {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  // UTF-16 without a BOM, recognised by '<?' with zero bytes between.
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) {
    return 'utf-16le';
  }
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) {
    return 'utf-16be';
  }
  return undefined;
};

const charsetFromXmlDeclaration = (bytes: Uint8Array): string | undefined => {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
  const match = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match?.[1]?.toLowerCase();
};

/** Legacy charsets by language, for undeclared non-UTF-8 feeds (what browsers guess too). */
const LEGACY_CHARSETS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^zh-(tw|hk|mo|hant)/, 'big5'],
  [/^zh/, 'gb18030'],
  [/^ja/, 'shift_jis'],
  [/^ko/, 'euc-kr'],
  [/^(ru|uk|be|bg|sr|mk)\b/, 'windows-1251'],
  [/^el/, 'windows-1253'],
  [/^tr/, 'windows-1254'],
  [/^(he|iw)/, 'windows-1255'],
  [/^(ar|fa|ur)/, 'windows-1256'],
  [/^(pl|cs|sk|hu|sl|hr|ro)\b/, 'windows-1250'],
  [/^(lt|lv|et)\b/, 'windows-1257'],
  [/^vi/, 'windows-1258'],
  [/^th/, 'windows-874'],
];

/** The legacy charset the feed's declared language suggests (`<language>` or `xml:lang`). */
const charsetFromLanguage = (bytes: Uint8Array): string | undefined => {
  const head = Buffer.from(bytes.subarray(0, 8192)).toString('latin1');
  const lang = (
    /<(?:dc:)?language>\s*([A-Za-z-]+)\s*</.exec(head)?.[1] ??
    /\sxml:lang\s*=\s*["']([A-Za-z-]+)["']/.exec(head)?.[1]
  )?.toLowerCase();
  if (!lang) return undefined;
  return LEGACY_CHARSETS.find(([pattern]) => pattern.test(lang))?.[1];
};

const isUtf8 = (name: string): boolean => /^utf-?8$/i.test(name);
const isUtf16 = (name: string): boolean => /^(utf-?16|ucs-?2)/i.test(name);

/**
 * The bytes as UTF-8 when they are UTF-8: valid, or mostly valid (more well-formed non-ASCII
 * characters than broken sequences, so a stray Latin-1 byte does not garble the rest).
 */
const asUtf8 = (bytes: Uint8Array): string | undefined => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    let broken = 0;
    let wellFormed = 0;
    for (let i = 0; i < lossy.length; i += 1) {
      const code = lossy.charCodeAt(i);
      if (code === 0xfffd) broken += 1;
      else if (code > 0x7f) wellFormed += 1;
    }
    return wellFormed > broken ? lossy : undefined;
  }
};

/**
 * Decodes a feed body. Order: a byte-order mark (unambiguous), the Content-Type charset, the
 * XML declaration, then UTF-8. A label TextDecoder does not know is skipped. When the chosen
 * charset is UTF-8 but the bytes are not (mostly) UTF-8 (a wrong declaration, common with Latin-1
 * feeds), the XML declaration's charset is used instead, else the legacy charset of the feed's
 * declared language (`zh-TW` -> Big5, `ru` -> Windows-1251...), else Windows-1252. A declared UTF-16
 * without a BOM or zero bytes is not believed (the text was transcoded by some proxy).
 */
export const decodeFeedBytes = (bytes: Uint8Array, contentType?: string | null): string => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = charsetFromBom(buffer);
  const header = charsetFromContentType(contentType);
  const declared = charsetFromXmlDeclaration(buffer);
  const usable = (name: string | undefined): name is string =>
    name !== undefined && encodingExists(name) && (bom !== undefined || !isUtf16(name));
  const candidates = [bom, header, declared].filter(usable);
  let charset = candidates[0] ?? 'utf-8';
  if (isUtf8(charset)) {
    const text = asUtf8(buffer);
    if (text !== undefined) return text.replace(/^\uFEFF/, '');
    const alternative = [header, declared].find(
      (name) => usable(name) && !isUtf8(name) && !isUtf16(name)
    );
    charset = alternative ?? charsetFromLanguage(buffer) ?? 'windows-1252';
  }
  // TextDecoder strips a BOM by default.
  const decoder = new TextDecoder(charset);
  const text = decoder.decode(buffer);
  return decoder.encoding === 'windows-1252' ? fixWindows1252(text) : text;
};

/**
 * Node's TextDecoder decodes windows-1252 (and the labels WHATWG maps to it: latin1,
 * iso-8859-1, ascii) as ISO-8859-1, turning bytes 0x80-0x9F (curly quotes, dashes, the euro
 * sign) into C1 control characters. This maps them as the WHATWG windows-1252 index does.
 */
const WINDOWS_1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const fixWindows1252 = (text: string): string =>
  text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80] ?? c);

/** Whether the WHATWG encoding label is known (Node's full ICU knows every WHATWG encoding). */
const encodingExists = (label: string): boolean => {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
};
