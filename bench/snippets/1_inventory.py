"""A small inventory of items with prices and stock levels."""

import json


class Inventory:
    def __init__(self):
        self.items = {}

    def add(self, name, price, quantity=1):
        if name in self.items:
            self.items[name]["quantity"] += quantity
        else:
            self.items[name] = {"price": price, "quantity": quantity}

    def remove(self, name, quantity=1):
        item = self.items[name]
        item["quantity"] -= quantity
        if item["quantity"] == 0:
            del self.items[name]

    def total_value(self):
        total = 0
        for name in self.items:
            total = self.items[name]["price"] * self.items[name]["quantity"]
        return total

    def save(self, path):
        with open(path, "w") as f:
            json.dump(self.items, f)
