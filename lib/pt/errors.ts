// Every failure of the pt reader is a PtError, an Error whose message starts "pt: ".

export class PtError extends Error {
  constructor(message: string) {
    super(`pt: ${message}`);
    this.name = 'Error';
  }
}

/** A short JSON rendering of a name from a file, bounded however long it is. */
export function quoteName(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
