import { describe, expect, it } from "vitest";
import { joinNames, namesToStore, splitFullName } from "../../src/services/names";

describe("splitFullName", () => {
  it.each([
    ["John Doe", "John", "Doe"],
    ["Mary Ann Smith", "Mary Ann", "Smith"],
    ["Nguyen Van A", "Nguyen Van", "A"],
    ["  Cher  ", "Cher", ""],
    ["", "", ""],
  ])("%j -> %j + %j", (full, first, last) => {
    expect(splitFullName(full)).toEqual({ firstName: first, lastName: last });
  });

  it("fits the parts to their columns", () => {
    const { firstName, lastName } = splitFullName(`${"a".repeat(200)} ${"b".repeat(54)}`);
    expect(firstName).toHaveLength(150);
    expect(lastName).toHaveLength(54);
  });
});

describe("joinNames", () => {
  it("joins as Django's get_full_name() does, without stray spaces", () => {
    expect(joinNames("John", "Doe")).toBe("John Doe");
    expect(joinNames("John", "")).toBe("John");
    expect(joinNames("", "Doe")).toBe("Doe");
    expect(joinNames("", "")).toBe("");
  });
});

describe("namesToStore", () => {
  it("derives the parts from a full name", () => {
    expect(namesToStore({ fullName: "Nguyen Van B" })).toEqual({
      fullName: "Nguyen Van B",
      firstName: "Nguyen Van",
      lastName: "B",
    });
  });

  it("derives the full name from parts, keeping the part not given", () => {
    expect(namesToStore({ firstName: "Jane" }, { firstName: "John", lastName: "Doe" })).toEqual({
      firstName: "Jane",
      lastName: "Doe",
      fullName: "Jane Doe",
    });
  });

  it("changes nothing when no name is given", () => {
    expect(namesToStore({}, { firstName: "John", lastName: "Doe" })).toEqual({});
  });
});
