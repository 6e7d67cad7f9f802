/** A post's text as one plain line of at most `max` characters, for lists that link to it. */
export function postExcerpt(body: string, max = 90): string {
  const plain = body.replace(/[>*_`#!\[\]()~|-]+/g, ' ').replace(/\s+/g, ' ').trim();
  return plain.length > max ? `${plain.slice(0, max - 2)}…` : plain || '(no text)';
}
