import { describe, expect, it } from "vitest";
import { DEFAULT_CAP, defaultLineageState, effectiveCap, parseLineageSearch, serialiseLineageState } from "./urlState";

describe("lineage URL state", () => {
  it("defaults to two hops each way", () => {
    expect(parseLineageSearch("")).toEqual(defaultLineageState());
    expect(parseLineageSearch("").up).toBe(2);
    expect(parseLineageSearch("").down).toBe(2);
  });

  it("accepts the direction/hops shorthand", () => {
    expect(parseLineageSearch("?direction=downstream&hops=7")).toMatchObject({ up: 0, down: 7 });
    expect(parseLineageSearch("?direction=upstream&hops=3")).toMatchObject({ up: 3, down: 0 });
    expect(parseLineageSearch("?direction=both&hops=4")).toMatchObject({ up: 4, down: 4 });
    expect(parseLineageSearch("?direction=upstream")).toMatchObject({ up: 2, down: 0 });
  });

  it("clamps hops and ignores junk", () => {
    expect(parseLineageSearch("?up=-3&down=1000")).toMatchObject({ up: 0, down: 100 });
    expect(parseLineageSearch("?up=abc")).toMatchObject({ up: 2 });
    expect(parseLineageSearch("?exp=x:1&exp=d:&col=u:n1").exp).toEqual([]);
  });

  it("round-trips the whole state", () => {
    const st = {
      ...defaultLineageState(),
      up: 3,
      down: 1,
      fold: true,
      hiddenKinds: ["EXECUTION"],
      hiddenTypes: ["Metrics", "Data set, v2"],
      sel: "n-1",
      sel2: "n-2",
      exp: [
        { id: "a:b", side: "up" as const },
        { id: "c", side: "down" as const },
      ],
      xall: 2,
      col: [{ id: "d", side: "down" as const }],
      more: [{ id: "hub", side: "down" as const, n: 80 }],
      cap: 9000,
      engine: "dagre" as const,
    };
    expect(parseLineageSearch(serialiseLineageState(st))).toEqual(st);
  });

  it("reads the benchmark's URL", () => {
    const st = parseLineageSearch("?direction=downstream&hops=12&cap=10000&more=10000:d:abc-1");
    expect(st).toMatchObject({ up: 0, down: 12, cap: 10000, more: [{ id: "abc-1", side: "down", n: 10000 }] });
  });

  it("takes the cap from the URL, then storage, then the default", () => {
    const store = { getItem: () => "1234" };
    expect(effectiveCap(parseLineageSearch("?cap=50"), store)).toBe(50);
    expect(effectiveCap(parseLineageSearch(""), store)).toBe(1234);
    expect(effectiveCap(parseLineageSearch(""), null)).toBe(DEFAULT_CAP);
  });
});
