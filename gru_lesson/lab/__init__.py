"""Every chapter from 5 on: the lab, tools around the lessons. `import gru_lesson` never imports it.

    training.py       ch 9-12  the one training loop of the comparisons (torch models, Adam, clipping)
    timing.py         ch 9, 13 interleaved timings, thread limits, the machine's description
    onnx_bridge.py    ch 5     the same weights as an ONNX GRU, to check the reset-before form
    min_gru_torch.py  ch 12-13 minGRU in torch, for training and for timing on a GPU
    claims.py         every ch printed claims that raise when false (claim, agree, differ)
    chorales.py       ch 15    the JSB chorales: downloaded once, checked, cached; piano rolls, padded batches
    sound.py          ch 15    a piano roll rendered to sound, and WAV bytes for IPython.display.Audio
    results.py        ch 10-15 a committed result file, beside the notebooks or fetched once (Colab)

Import each on its own, e.g. `from gru_lesson.lab.training import make_model, train`.
"""
