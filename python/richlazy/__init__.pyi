"""Type stubs written by `python -m richlazy.stubs` from the engine's tables; do not edit."""

import os
from typing import Any, Callable, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Union, overload

import numpy as np

Progress = Union[None, bool, Callable[[int, int, str], Any]]

class SettingError(ValueError):
    key: str
    code: str

class SettingWarning(UserWarning):
    key: str
    code: str

class RunResult:
    config: Dict[str, Any]
    status: str
    diverged_at: Optional[int]
    initial: Dict[str, Any]
    final: Optional[Dict[str, Any]]
    sequence: Optional[Dict[str, Any]]
    history: Dict[str, np.ndarray]
    weights: Dict[str, np.ndarray]
    def to_json(self) -> str: ...
    def save_weights(self, directory: Union[str, os.PathLike]) -> None: ...
    def analyse(self) -> Analysis: ...

class Analysis:
    report: Dict[str, Any]
    def to_json(self) -> str: ...
    def save(self, path: Union[str, os.PathLike]) -> None: ...

class Trials:
    x: np.ndarray
    labels: np.ndarray
    conditions: np.ndarray
    scored: range
    decision: range
    task: str
    input_names: List[str]
    condition_names: List[str]
    dt: int
    alpha: float

class Report:
    report: Dict[str, Any]
    table: str
    summary: List[Dict[str, Any]]
    runs: List[RunResult]
    def to_json(self) -> str: ...
    def save(self, path: Union[str, os.PathLike]) -> None: ...

def run(
    *,
    progress: Progress = None,
    task: Optional[Literal['2af', 'dms', 'cxt', 'smnist']] = None,  # task [default 2af]
    sequence: Optional[str] = None,  # tasks in sequence, task[:iters[:lr]] each: 2af,dms or 2af:3000,dms:5000 (iters per phase otherwise)
    init: Optional[Literal['gaussian', 'rank', 'spectrum', 'orthogonal', 'aligned', 'connectome', 'connectome_shuffled', 'connectome_spectrum', 'v1', 'v1_shuffled', 'v1_spectrum', 'fly', 'fly_shuffled', 'fly_spectrum', 'dale', 'dale_rank', 'file', 'file_shuffled', 'file_spectrum']] = None,  # initial family of W_rec [default gaussian]
    rank: Optional[int] = None,  # rank r [default 1]
    erank: Optional[float] = None,  # effective rank [default 30]
    gain: Optional[float] = None,  # gain g [default 1.25]
    scale: Optional[Literal['frobenius', 'spectral']] = None,  # scale to the Gaussian's [default frobenius]
    signed: Optional[Literal['0', '1']] = None,  # GABAergic neurons [default 0]
    dataset: Optional[Literal['varshney', 'witvliet_1', 'witvliet_2', 'witvliet_3', 'witvliet_4', 'witvliet_5', 'witvliet_6', 'witvliet_7', 'witvliet_8', 'cook_herm']] = None,  # worm dataset [default varshney]
    ei: Optional[float] = None,  # excitatory fraction (strictly between 0 and 1) [default 0.8]
    file: Optional[str] = None,  # your matrix's hash (16 hex digits)
    hidden: Optional[int] = None,  # hidden units N [default 300]
    iters: Optional[int] = None,  # iterations [default 10000]
    lr: Optional[float] = None,  # learning rate [default 0.003]
    opt: Optional[Literal['sgd', 'adam']] = None,  # optimiser [default sgd]
    rule: Optional[Literal['bptt', 'eprop', 'rflo']] = None,  # learning rule [default bptt]
    seed: Optional[int] = None,  # seed [default 0]
    every: Optional[int] = None,  # measure every [default 500]
    batch: Optional[int] = None,  # batch size [default 32]
    dt: Optional[Literal['100', '50', '25', '20', '10']] = None,  # time step dt [default 100]
    alpha: Optional[float] = None,  # leak alpha (dt / 100 ms unless given) [default 1]
    floss: Optional[Literal['none', 'pre', 'inter', 'both']] = None,  # gradient flossing [default none]
    floss_k: Optional[int] = None,  # exponents flossed k [default 1]
    floss_mode: Optional[Literal['exact', 'local']] = None,  # flossing gradient [default exact]
    floss_iters: Optional[int] = None,  # flossing steps before training [default 100]
    floss_every: Optional[int] = None,  # one flossing step every [default 10]
) -> RunResult: ...
def analyse(
    *,
    weights: Union[None, str, os.PathLike, Mapping[str, Any]] = None,
    progress: Progress = None,
    task: Optional[Literal['2af', 'dms', 'cxt', 'smnist']] = None,  # task [default 2af]
    sequence: Optional[str] = None,  # tasks in sequence, task[:iters[:lr]] each: 2af,dms or 2af:3000,dms:5000 (iters per phase otherwise)
    init: Optional[Literal['gaussian', 'rank', 'spectrum', 'orthogonal', 'aligned', 'connectome', 'connectome_shuffled', 'connectome_spectrum', 'v1', 'v1_shuffled', 'v1_spectrum', 'fly', 'fly_shuffled', 'fly_spectrum', 'dale', 'dale_rank', 'file', 'file_shuffled', 'file_spectrum']] = None,  # initial family of W_rec [default gaussian]
    rank: Optional[int] = None,  # rank r [default 1]
    erank: Optional[float] = None,  # effective rank [default 30]
    gain: Optional[float] = None,  # gain g [default 1.25]
    scale: Optional[Literal['frobenius', 'spectral']] = None,  # scale to the Gaussian's [default frobenius]
    signed: Optional[Literal['0', '1']] = None,  # GABAergic neurons [default 0]
    dataset: Optional[Literal['varshney', 'witvliet_1', 'witvliet_2', 'witvliet_3', 'witvliet_4', 'witvliet_5', 'witvliet_6', 'witvliet_7', 'witvliet_8', 'cook_herm']] = None,  # worm dataset [default varshney]
    ei: Optional[float] = None,  # excitatory fraction (strictly between 0 and 1) [default 0.8]
    file: Optional[str] = None,  # your matrix's hash (16 hex digits)
    hidden: Optional[int] = None,  # hidden units N [default 300]
    iters: Optional[int] = None,  # iterations [default 10000]
    lr: Optional[float] = None,  # learning rate [default 0.003]
    opt: Optional[Literal['sgd', 'adam']] = None,  # optimiser [default sgd]
    rule: Optional[Literal['bptt', 'eprop', 'rflo']] = None,  # learning rule [default bptt]
    seed: Optional[int] = None,  # seed [default 0]
    every: Optional[int] = None,  # measure every [default 500]
    batch: Optional[int] = None,  # batch size [default 32]
    dt: Optional[Literal['100', '50', '25', '20', '10']] = None,  # time step dt [default 100]
    alpha: Optional[float] = None,  # leak alpha (dt / 100 ms unless given) [default 1]
    floss: Optional[Literal['none', 'pre', 'inter', 'both']] = None,  # gradient flossing [default none]
    floss_k: Optional[int] = None,  # exponents flossed k [default 1]
    floss_mode: Optional[Literal['exact', 'local']] = None,  # flossing gradient [default exact]
    floss_iters: Optional[int] = None,  # flossing steps before training [default 100]
    floss_every: Optional[int] = None,  # one flossing step every [default 10]
) -> Analysis: ...
def trials(
    *,
    iteration: int,
    task: Optional[Literal['2af', 'dms', 'cxt', 'smnist']] = None,  # task [default 2af]
    sequence: Optional[str] = None,  # tasks in sequence, task[:iters[:lr]] each: 2af,dms or 2af:3000,dms:5000 (iters per phase otherwise)
    init: Optional[Literal['gaussian', 'rank', 'spectrum', 'orthogonal', 'aligned', 'connectome', 'connectome_shuffled', 'connectome_spectrum', 'v1', 'v1_shuffled', 'v1_spectrum', 'fly', 'fly_shuffled', 'fly_spectrum', 'dale', 'dale_rank', 'file', 'file_shuffled', 'file_spectrum']] = None,  # initial family of W_rec [default gaussian]
    rank: Optional[int] = None,  # rank r [default 1]
    erank: Optional[float] = None,  # effective rank [default 30]
    gain: Optional[float] = None,  # gain g [default 1.25]
    scale: Optional[Literal['frobenius', 'spectral']] = None,  # scale to the Gaussian's [default frobenius]
    signed: Optional[Literal['0', '1']] = None,  # GABAergic neurons [default 0]
    dataset: Optional[Literal['varshney', 'witvliet_1', 'witvliet_2', 'witvliet_3', 'witvliet_4', 'witvliet_5', 'witvliet_6', 'witvliet_7', 'witvliet_8', 'cook_herm']] = None,  # worm dataset [default varshney]
    ei: Optional[float] = None,  # excitatory fraction (strictly between 0 and 1) [default 0.8]
    file: Optional[str] = None,  # your matrix's hash (16 hex digits)
    hidden: Optional[int] = None,  # hidden units N [default 300]
    iters: Optional[int] = None,  # iterations [default 10000]
    lr: Optional[float] = None,  # learning rate [default 0.003]
    opt: Optional[Literal['sgd', 'adam']] = None,  # optimiser [default sgd]
    rule: Optional[Literal['bptt', 'eprop', 'rflo']] = None,  # learning rule [default bptt]
    seed: Optional[int] = None,  # seed [default 0]
    every: Optional[int] = None,  # measure every [default 500]
    batch: Optional[int] = None,  # batch size [default 32]
    dt: Optional[Literal['100', '50', '25', '20', '10']] = None,  # time step dt [default 100]
    alpha: Optional[float] = None,  # leak alpha (dt / 100 ms unless given) [default 1]
    floss: Optional[Literal['none', 'pre', 'inter', 'both']] = None,  # gradient flossing [default none]
    floss_k: Optional[int] = None,  # exponents flossed k [default 1]
    floss_mode: Optional[Literal['exact', 'local']] = None,  # flossing gradient [default exact]
    floss_iters: Optional[int] = None,  # flossing steps before training [default 100]
    floss_every: Optional[int] = None,  # one flossing step every [default 10]
) -> Trials: ...
def probe(
    *,
    task: Optional[Literal['2af', 'dms', 'cxt', 'smnist']] = None,  # task [default 2af]
    sequence: Optional[str] = None,  # tasks in sequence, task[:iters[:lr]] each: 2af,dms or 2af:3000,dms:5000 (iters per phase otherwise)
    init: Optional[Literal['gaussian', 'rank', 'spectrum', 'orthogonal', 'aligned', 'connectome', 'connectome_shuffled', 'connectome_spectrum', 'v1', 'v1_shuffled', 'v1_spectrum', 'fly', 'fly_shuffled', 'fly_spectrum', 'dale', 'dale_rank', 'file', 'file_shuffled', 'file_spectrum']] = None,  # initial family of W_rec [default gaussian]
    rank: Optional[int] = None,  # rank r [default 1]
    erank: Optional[float] = None,  # effective rank [default 30]
    gain: Optional[float] = None,  # gain g [default 1.25]
    scale: Optional[Literal['frobenius', 'spectral']] = None,  # scale to the Gaussian's [default frobenius]
    signed: Optional[Literal['0', '1']] = None,  # GABAergic neurons [default 0]
    dataset: Optional[Literal['varshney', 'witvliet_1', 'witvliet_2', 'witvliet_3', 'witvliet_4', 'witvliet_5', 'witvliet_6', 'witvliet_7', 'witvliet_8', 'cook_herm']] = None,  # worm dataset [default varshney]
    ei: Optional[float] = None,  # excitatory fraction (strictly between 0 and 1) [default 0.8]
    file: Optional[str] = None,  # your matrix's hash (16 hex digits)
    hidden: Optional[int] = None,  # hidden units N [default 300]
    iters: Optional[int] = None,  # iterations [default 10000]
    lr: Optional[float] = None,  # learning rate [default 0.003]
    opt: Optional[Literal['sgd', 'adam']] = None,  # optimiser [default sgd]
    rule: Optional[Literal['bptt', 'eprop', 'rflo']] = None,  # learning rule [default bptt]
    seed: Optional[int] = None,  # seed [default 0]
    every: Optional[int] = None,  # measure every [default 500]
    batch: Optional[int] = None,  # batch size [default 32]
    dt: Optional[Literal['100', '50', '25', '20', '10']] = None,  # time step dt [default 100]
    alpha: Optional[float] = None,  # leak alpha (dt / 100 ms unless given) [default 1]
    floss: Optional[Literal['none', 'pre', 'inter', 'both']] = None,  # gradient flossing [default none]
    floss_k: Optional[int] = None,  # exponents flossed k [default 1]
    floss_mode: Optional[Literal['exact', 'local']] = None,  # flossing gradient [default exact]
    floss_iters: Optional[int] = None,  # flossing steps before training [default 100]
    floss_every: Optional[int] = None,  # one flossing step every [default 10]
) -> Trials: ...
def hidden(weights: Mapping[str, Any], x: Union[np.ndarray, Trials], *, alpha: Optional[float] = None) -> np.ndarray: ...
def sweep(
    *,
    threads: Optional[int] = None,
    progress: Progress = None,
    inits: Optional[str] = None,  # starts: gaussian, rank:R, spectrum:E, aligned:R, connectome, ... or paper
    ranks: Optional[str] = None,  # bare ranks (1,30,100,300 when no list is given)
    rules: Optional[str] = None,  # learning rules to cross with the starts (bptt,eprop,rflo)
    gains: Optional[str] = None,  # gains to cross with them
    flosses: Optional[str] = None,  # flossing settings to cross with them (none,pre,...)
    figure: Optional[Literal['paper', 'local', 'gain']] = None,  # a named figure at its own base settings
    seeds: Optional[int] = None,  # seeds per item [default 3]
    shard: Optional[str] = None,  # run the items i with i mod N = K (K/N); richlazy merge joins the shards [default 0/1]
    task: Optional[Literal['2af', 'dms', 'cxt', 'smnist']] = None,  # task [default 2af]
    sequence: Optional[str] = None,  # tasks in sequence, task[:iters[:lr]] each: 2af,dms or 2af:3000,dms:5000 (iters per phase otherwise)
    init: Optional[Literal['gaussian', 'rank', 'spectrum', 'orthogonal', 'aligned', 'connectome', 'connectome_shuffled', 'connectome_spectrum', 'v1', 'v1_shuffled', 'v1_spectrum', 'fly', 'fly_shuffled', 'fly_spectrum', 'dale', 'dale_rank', 'file', 'file_shuffled', 'file_spectrum']] = None,  # initial family of W_rec [default gaussian]
    rank: Optional[int] = None,  # rank r [default 1]
    erank: Optional[float] = None,  # effective rank [default 30]
    gain: Optional[float] = None,  # gain g [default 1.25]
    scale: Optional[Literal['frobenius', 'spectral']] = None,  # scale to the Gaussian's [default frobenius]
    signed: Optional[Literal['0', '1']] = None,  # GABAergic neurons [default 0]
    dataset: Optional[Literal['varshney', 'witvliet_1', 'witvliet_2', 'witvliet_3', 'witvliet_4', 'witvliet_5', 'witvliet_6', 'witvliet_7', 'witvliet_8', 'cook_herm']] = None,  # worm dataset [default varshney]
    ei: Optional[float] = None,  # excitatory fraction (strictly between 0 and 1) [default 0.8]
    file: Optional[str] = None,  # your matrix's hash (16 hex digits)
    hidden: Optional[int] = None,  # hidden units N [default 300]
    iters: Optional[int] = None,  # iterations [default 10000]
    lr: Optional[float] = None,  # learning rate [default 0.003]
    opt: Optional[Literal['sgd', 'adam']] = None,  # optimiser [default sgd]
    rule: Optional[Literal['bptt', 'eprop', 'rflo']] = None,  # learning rule [default bptt]
    seed: Optional[int] = None,  # seed [default 0]
    every: Optional[int] = None,  # measure every [default 500]
    batch: Optional[int] = None,  # batch size [default 32]
    dt: Optional[Literal['100', '50', '25', '20', '10']] = None,  # time step dt [default 100]
    alpha: Optional[float] = None,  # leak alpha (dt / 100 ms unless given) [default 1]
    floss: Optional[Literal['none', 'pre', 'inter', 'both']] = None,  # gradient flossing [default none]
    floss_k: Optional[int] = None,  # exponents flossed k [default 1]
    floss_mode: Optional[Literal['exact', 'local']] = None,  # flossing gradient [default exact]
    floss_iters: Optional[int] = None,  # flossing steps before training [default 100]
    floss_every: Optional[int] = None,  # one flossing step every [default 10]
) -> Report: ...
@overload
def study(
    name: Literal['theory'],
    *,
    threads: Optional[int] = None,
    progress: Progress = None,
    dim: Optional[int] = None,  # input dimension d = width h (even) [default 50]
    norm: Optional[float] = None,  # |W1(0)|_F, rank sweep [default 0.2]
    norm_align: Optional[float] = None,  # |W1(0)|_F, alignment sweep [default 2]
    kappa: Optional[float] = None,  # largest kappa [default 100]
    seeds: Optional[int] = None,  # seeds [default 3]
    seed: Optional[int] = None,  # first seed [default 0]
) -> Report: ...
@overload
def study(
    name: Literal['perceptron'],
    *,
    threads: Optional[int] = None,
    progress: Progress = None,
    chi: Optional[float] = None,  # chi: density of x_1 ∝ |x_1|^chi near the boundary (0: Gaussian) [default 0]
    d: Optional[int] = None,  # input dimension d [default 32]
    ps: Optional[Union[str, Sequence[float]]] = None,  # training set sizes P [default 128,512,2048]
    ats: Optional[Union[str, Sequence[float]]] = None,  # temperatures alpha*T (T = dt/B) [default 0.1,0.3,1,3,10,30,100,300,1000,3000,10000]
    b: Optional[int] = None,  # batch size B (at most P) [default 2]
    alpha: Optional[float] = None,  # alpha: |dw| and t* are reported at this scale [default 1]
    cap: Optional[int] = None,  # step cap [default 1e10]
    pte: Optional[int] = None,  # test set size [default 10000]
    seed: Optional[int] = None,  # first seed [default 1]
    seeds: Optional[int] = None,  # seeds per cell [default 3]
    trace: Optional[int] = None,  # 1: trace one run (first P, first alpha*T) for the picture [default 0]
    shard: Optional[str] = None,  # run the items i with i mod N = K (K/N); richlazy merge joins the shards [default 0/1]
) -> Report: ...
@overload
def study(
    name: Literal['phase'],
    *,
    threads: Optional[int] = None,
    progress: Progress = None,
    L: Optional[int] = None,  # hidden layers [default 3]
    h: Optional[int] = None,  # width of each hidden layer [default 32]
    P: Optional[int] = None,  # train points (the rest of the 1797 digits are the test set) [default 512]
    B: Optional[int] = None,  # batch size [default 16]
    log2_alpha: Optional[Union[str, Sequence[float]]] = None,  # log2 of the scales alpha (small: features, large: lazy) [default -6,-4,-2,0,2,4,6]
    log2_T: Optional[Union[str, Sequence[float]]] = None,  # log2 of the temperatures T = dt / (B h) [default -10,-9,-8,-7,-6,-5,-4]
    cap: Optional[int] = None,  # step cap per cell [default 10000]
    seed: Optional[int] = None,  # seed of the split, the start and the batches [default 1]
    shard: Optional[str] = None,  # run the items i with i mod N = K (K/N); richlazy merge joins the shards [default 0/1]
) -> Report: ...
@overload
def study(
    name: Literal['grok'],
    *,
    threads: Optional[int] = None,
    progress: Progress = None,
    mode: Optional[Literal['run', 'alpha', 'eps', 'map']] = None,  # one run, the alpha or eps sweep (overlays), or the (alpha, eps) map [default run]
    d: Optional[int] = None,  # input dimension D [default 30]
    p: Optional[int] = None,  # training points P [default 165]
    n: Optional[int] = None,  # hidden units N [default 100]
    test: Optional[int] = None,  # test points [default 1000]
    alpha: Optional[float] = None,  # output scale alpha (laziness) [default 1]
    eps: Optional[float] = None,  # quadratic part eps of phi (initial alignment) [default 0.02]
    c: Optional[float] = None,  # learning rate multiplier: eta = c N / alpha^2 [default 10]
    epochs: Optional[int] = None,  # epochs per run [default 10000]
    seed: Optional[int] = None,  # draw of beta, the data and W0 [default 1]
    threshold: Optional[float] = None,  # a loss has fallen when below this times its start [default 0.1]
    alphas: Optional[Union[str, Sequence[float]]] = None,  # alphas of the alpha sweep and the map [default 0.5,1,2,3,4]
    epss: Optional[Union[str, Sequence[float]]] = None,  # eps values of the eps sweep and the map [default 0.01,0.02,0.05,0.1,0.2]
    shard: Optional[str] = None,  # run the items i with i mod N = K (K/N); richlazy merge joins the shards [default 0/1]
) -> Report: ...
def merge(parts: Iterable[Union[str, os.PathLike, Report]]) -> Report: ...
def schema(name: str = 'lab') -> Dict[str, Any]: ...
def studies() -> List[tuple]: ...
