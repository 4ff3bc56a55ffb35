/**
 * Length of an uploaded audio file, where it is cheap to know: a WAV (RIFF)
 * header states its byte rate and data size. Compressed formats would need
 * a frame-by-frame scan or a decoder; for those the upstream's own report
 * (verbose_json `duration`, `usage.seconds`) is the source, or nothing.
 */
export function wavDurationSeconds(data: Buffer): number | undefined {
  if (data.length < 12 || data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let byteRate: number | undefined;
  let offset = 12;
  while (offset + 8 <= data.length) {
    const id = data.toString('ascii', offset, offset + 4);
    const size = data.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 12 <= data.length) byteRate = data.readUInt32LE(body + 8);
    if (id === 'data') {
      if (byteRate === undefined || byteRate === 0) return undefined;
      // A streamed WAV may state 0 or 0xFFFFFFFF as its data size: count what is there.
      const bytes = size === 0 || size === 0xffffffff ? data.length - body : Math.min(size, data.length - body);
      return Math.round((bytes / byteRate) * 1000) / 1000;
    }
    offset = body + size + (size % 2);
  }
  return undefined;
}
