"""Prints the PyTorch reference values of ShapeIndexingSuite as Java constants (run with a PyTorch interpreter).

Inputs are seeded normals rounded to three decimals, so that their decimal literals are exact on both sides.
"""
import torch
import torch.nn.functional as F

torch.manual_seed(12)


def r(*shape):
    return torch.round(torch.randn(*shape, dtype=torch.float64) * 1000) / 1000


A = r(2, 3, 4)
M = r(3, 4)
X = r(3, 5)
SRC = r(2, 5)
S3 = r(3, 5)
E1, E2 = r(3, 4), r(4, 2)
B1, B2 = r(2, 3, 4), r(2, 4, 5)
Q, K = r(2, 2, 3, 4), r(2, 2, 5, 4)
U, W = r(4), r(3)
SQ = r(4, 4)
P1, P2 = r(3, 4), r(3, 4)
inputs = dict(A=A, M=M, X=X, SRC=SRC, S3=S3, E1=E1, E2=E2, B1=B1, B2=B2, Q=Q, K=K, U=U, W=W, SQ=SQ, P1=P1, P2=P2)

idx1 = torch.tensor([[3, 0, 4, 1], [2, 4, 1, 0]])
idx0 = torch.tensor([[0, 2, 1, 0, 2], [1, 1, 0, 2, 2]])
cases = dict(
    REPEAT=A.repeat(2, 1, 1, 2),
    REPEAT_INTERLEAVE_DIM1=A.repeat_interleave(2, dim=1),
    REPEAT_INTERLEAVE_TENSOR=A.repeat_interleave(torch.tensor([1, 0, 2, 3]), dim=2),
    REPEAT_INTERLEAVE_FLAT=M.repeat_interleave(2),
    FLIP=A.flip(0, 2),
    ROLL=A.roll((1, -2), (0, 2)),
    ROLL_FLAT=A.roll(5),
    TRIL=A.tril(-1),
    TRIU=A.triu(1),
    PAD_CONSTANT=F.pad(A, (2, 1, 1, 0), value=1.5),
    PAD_NEGATIVE=F.pad(A, (-1, 2, 0, -1)),
    PAD_REFLECT=F.pad(A, (2, 1, 1, 2), mode='reflect'),
    PAD_REPLICATE=F.pad(A, (3, 1, 2, 2), mode='replicate'),
    PAD_CIRCULAR=F.pad(A, (2, 3, 1, 1), mode='circular'),
    MASKED_SELECT=A.masked_select(M > 0),
    SCATTER=X.scatter(1, idx1, SRC),
    SCATTER_VALUE=X.scatter(0, idx0, 2.5),
    SCATTER_ADD=X.scatter_add(0, idx0, SRC),
    INDEX_ADD=X.index_add(0, torch.tensor([0, 2, 0]), S3, alpha=2),
    INDEX_PUT_ACCUMULATE=X.index_put((torch.tensor([0, 2, 0]), torch.tensor([1, -1, 1])), torch.tensor([1., 2., 3.], dtype=torch.float64), accumulate=True),
    INDEX_PUT_BROADCAST=X.index_put((torch.tensor([[0], [2]]), torch.tensor([1, 3, 4])), SRC[:, :3]),
    INDEX_PUT_MASK=X.index_put((X > 0,), torch.tensor(7., dtype=torch.float64)),
    EINSUM_MM=torch.einsum("ij,jk->ik", E1, E2),
    EINSUM_BMM=torch.einsum("bij,bjk->bik", B1, B2),
    EINSUM_ATTENTION=torch.einsum("bhqd,bhkd->bhqk", Q, K),
    EINSUM_DOT=torch.einsum("i,i->", U, U),
    EINSUM_OUTER=torch.einsum("i,j->ij", U, W),
    EINSUM_TRANSPOSE=torch.einsum("ij->ji", E1),
    EINSUM_DIAGONAL=torch.einsum("ii->i", SQ),
    EINSUM_TRACE=torch.einsum("ii", SQ),
    EINSUM_ROWDOT=torch.einsum("bi,bi->b", P1, P2),
    EINSUM_IMPLICIT=torch.einsum("ij,jk", E1, E2),
    EINSUM_ELLIPSIS=torch.einsum("...ij,...jk->...ik", B1, B2),
    EINSUM_SUM_OUT=torch.einsum("bij,bjk->k", B1, B2),
    EINSUM_BROADCAST=torch.einsum("...ij,jk->...ik", B1, E2),
    EINSUM_BATCH_OF_ONE=torch.einsum("bij,bjk->bik", B1[:1], B2),
    EINSUM_HADAMARD=torch.einsum("ij,ij->ij", P1, P2),
    EINSUM_SUMMED_LABELS=torch.einsum("ij,k->j", E1, W),
    EINSUM_THREE=torch.einsum("ij,jk,k->i", E1, E2, torch.tensor([0.5, -2.0], dtype=torch.float64)),
)


def java(name, t):
    vals = ", ".join(repr(float(v)) for v in t.flatten().tolist())
    shape = ", ".join(str(s) for s in t.shape)
    return f"    static final double[] {name} = {{{vals}}};\n    static final int[] {name}_SHAPE = {{{shape}}};"


print("    // inputs")
for k, v in inputs.items():
    print(java(k, v))
print("    // PyTorch " + torch.__version__ + " results")
for k, v in cases.items():
    print(java(k, v))
