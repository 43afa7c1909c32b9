/**
 * Input text (messages, file names, source lines) can hold control characters; printed raw, an
 * escape sequence rewrites the user's terminal. Each C0 control (but tab) becomes its Unicode
 * "control picture" (one visible column, so carets stay aligned), DEL and C1 controls become U+FFFD.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? '\u2421' : '\ufffd';
  });
}
