import ModelBackend
import SelfMoA
/// Real-looking source files the tests run on.
enum Samples {
    static let python = """
        \"\"\"Inventory helpers.\"\"\"
        import json
        from dataclasses import dataclass
        from typing import (
            Iterable,
            Optional,
        )


        @dataclass
        class Item:
            name: str
            price: float
            quantity: int = 0

            def total(self) -> float:
                return self.price * self.quantity


        def average_price(items: Iterable[Item]) -> float:
            prices = [item.price for item in items]
            if prices:
                total = sum(prices)
                return total / len(prices)
            return 0.0


        @cache
        def load(path: str) -> list[Item]:
            # Read the whole file at once.
            with open(path) as handle:
                data = json.load(handle)
            return [Item(**entry) for entry in data]


        if __name__ == "__main__":
            print(average_price(load("items.json")))
        """

    static let swift = """
        // Copyright 2024 Example Corp.
        // Licensed under the MIT license.

        import Foundation
        import Logging

        struct Cart {
            var items: [Item] = []

            var total: Double {
                items.reduce(0) { $0 + $1.price }
            }

            /// Adds `quantity` copies of `item`.
            mutating func add(
                _ item: Item,
                quantity: Int = 1
            ) -> Int {
                for _ in 0..<quantity {
                    items.append(item)
                }
                return items.count
            }
        }
        """

    static let javaScript = """
        import { readFile } from "node:fs/promises";
        import {
          join,
          resolve,
        } from "node:path";

        const cache = new Map();

        export const loadConfig = async (name) => {
          const path = resolve(join("config", name));
          if (cache.has(path)) {
            return cache.get(path);
          }
          const text = await readFile(path, "utf8");
          const value = JSON.parse(text);
          cache.set(path, value);
          return value;
        };

        class Store {
          constructor(items) {
            this.items = items;
          }

          count() {
            return this.items.length;
          }
        }
        """

    static let lua = """
        local json = require("json")

        local function parse(text)
          local ok, value = pcall(json.decode, text)
          if not ok then
            return nil
          end
          return value
        end

        return { parse = parse }
        """

    static let lisp = """
        (require 'cl-lib)

        (defun my-sum (items)
          "Add up ITEMS."
          (let ((total 0))
            (dolist (item items)
              (setq total (+ total item)))
            total))

        (provide 'my-sum)
        """

    static let c = """
        /*
         * Copyright 2024.
         */
        #include <stdio.h>
        #include <stdlib.h>

        static int
        count_lines(FILE *file)
        {
            int count = 0;
            int c;
            while ((c = fgetc(file)) != EOF) {
                if (c == '\\n')
                    count++;
            }
            return count;
        }
        """
}

/// The 0-based index of the first line of `text` containing `needle`.
func lineIndex(_ needle: String, in text: String) -> Int {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let index = lines.firstIndex(where: { $0.contains(needle) }) else {
        fatalError("no line contains \(needle)")
    }
    return index
}

/// The byte offset just after the first occurrence of `needle` in `text` (or before it).
func offset(of needle: String, in text: String, after: Bool = true) -> Int {
    guard let range = text.firstRange(of: needle) else { fatalError("\(needle) not found") }
    return text.utf8.distance(from: text.startIndex, to: after ? range.upperBound : range.lowerBound)
}
