/**
 * JSON already written, as UTF-8 pieces sent one after another: a large answer assembled
 * from cached parts (the event list) goes out without first being copied into one buffer.
 */
export class JsonPieces {
  readonly byteLength: number
  constructor(readonly pieces: readonly Buffer[]) {
    this.byteLength = pieces.reduce((sum, piece) => sum + piece.length, 0)
  }
}
