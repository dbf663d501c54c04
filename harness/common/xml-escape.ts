// Text for XML content and attributes (the chart's SVG, the smoke gate's JUnit): the five entities, and no
// control characters, which XML 1.0 does not allow.
export function escapeXml(text: string): string {
  return text
    .replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');
}
