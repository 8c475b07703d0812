// Stands in for `node:stream` in the check page's bundle (esbuild alias, pipeline/outputs/check-page.ts):
// ingest/xlsx-stream.ts streams a workbook beyond the cell limit in Node only (the browser build of
// exceljs has no streaming reader, and xlsx-stream.ts says so before it makes a stream). Anything used
// here fails loudly.
export const Readable = {
  from(): never {
    throw new Error('check page: node:stream is not available in the browser');
  },
};
