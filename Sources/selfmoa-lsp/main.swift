print("selfmoa-lsp")
