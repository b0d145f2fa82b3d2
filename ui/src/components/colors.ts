/** A stable colour per type name. */
export function typeColor(type: string): string {
  let h = 0;
  for (let i = 0; i < type.length; i++) h = (h * 31 + type.charCodeAt(i)) >>> 0;
  return `hsl(${h % 360} 62% 46%)`;
}

export const BAD_STATES = new Set(["FAILED", "DELETED", "ABANDONED", "CANCELED", "MARKED_FOR_DELETION"]);
